//! Real `convene serve` processes for the drills: started on a free loopback port, their error
//! output kept for the failure message, killed when dropped (passing or not).

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Server {
    child: Child,
    pub url: String,
    errors: Arc<Mutex<String>>,
}

impl Server {
    /// `convene serve --addr 127.0.0.1:0 --data DATA FLAGS…`.
    pub fn start(data: &Path, flags: &[&str]) -> Server {
        Server::start_with(data, flags, None)
    }

    /// As [`Server::start`], with the process's open-file limit lowered to `open_files`.
    pub fn start_with(data: &Path, flags: &[&str], open_files: Option<u32>) -> Server {
        let mut command = serve_command(data, flags, open_files);
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("convene serve starts");
        let errors = Arc::new(Mutex::new(String::new()));
        let mut stderr = child.stderr.take().unwrap();
        let kept = errors.clone();
        std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n @ 1..) = stderr.read(&mut chunk) {
                kept.lock().unwrap().push_str(&String::from_utf8_lossy(&chunk[..n]));
            }
        });
        let mut lines = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        lines.read_line(&mut first).unwrap();
        // Keep reading, so the server never writes into a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));
        let Some(url) = first.split_whitespace().find(|w| w.starts_with("http://")).map(str::to_string) else {
            let status = child.wait();
            std::thread::sleep(Duration::from_millis(100));
            panic!("convene serve did not start ({status:?}): {first:?} {}", errors.lock().unwrap());
        };
        Server { child, url, errors }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What the process wrote to its error output so far.
    pub fn errors(&self) -> String {
        self.errors.lock().unwrap().clone()
    }

    /// SIGKILL, and wait for the process to be gone.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, and wait: how it exited and how long it took.
    pub fn terminate(&mut self) -> (ExitStatus, Duration) {
        let asked = Instant::now();
        let term = Command::new("kill").args(["-TERM", &self.pid().to_string()]).status().unwrap();
        assert!(term.success());
        let status = self.child.wait().unwrap();
        (status, asked.elapsed())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn serve_command(data: &Path, flags: &[&str], open_files: Option<u32>) -> Command {
    let mut command = match open_files {
        Some(n) => {
            let mut sh = Command::new("sh");
            sh.arg("-c").arg(format!("ulimit -n {n} && exec \"$0\" \"$@\"")).arg(env!("CARGO_BIN_EXE_convene"));
            sh
        }
        None => Command::new(env!("CARGO_BIN_EXE_convene")),
    };
    command.args(["serve", "--addr", "127.0.0.1:0", "--data"]).arg(data).args(flags).env("RUST_LOG", "warn");
    command
}

/// Runs `convene serve` expecting it to refuse to start: its exit status and error output
/// (killed after 20 s if it starts after all).
pub fn refused_start(data: &Path, flags: &[&str]) -> (ExitStatus, String) {
    let mut child =
        serve_command(data, flags, None).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("convene runs");
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = child.wait().unwrap();
    let mut errors = String::new();
    child.stderr.take().unwrap().read_to_string(&mut errors).unwrap();
    (status, errors)
}

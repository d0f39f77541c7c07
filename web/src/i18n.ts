// The pages' words in English, Arabic and Kurdish (Sorani), with each language's direction and
// number formatting. A page marks its text with data-t="key"; `apply` fills it in and sets
// <html lang dir>. The choice is kept in localStorage and in the URL (?lang=ar).
//
// The Arabic and Sorani texts were written by the engineers, not by native translators: they are
// to be reviewed by native speakers before real use.

export type Lang = "en" | "ar" | "ckb";

export const LANGS: { code: Lang; name: string; dir: "ltr" | "rtl" }[] = [
  { code: "en", name: "English", dir: "ltr" },
  { code: "ar", name: "العربية", dir: "rtl" },
  { code: "ckb", name: "کوردی", dir: "rtl" },
];

type Table = Record<string, string>;

const en: Table = {
  "app.name": "Convene",
  "nav.language": "Language",
  "nav.home": "Home",
  "home.title": "Votes in progress",
  "home.intro": "Choose a referendum to vote in or to follow. Every vote is encrypted on your own device; anyone can verify the count.",
  "home.vote": "Vote",
  "home.results": "Results",
  "home.none": "There is no referendum yet.",
  "home.phase": "Phase",
  "booth.title": "Voting booth",
  "booth.text": "What you are asked to approve",
  "booth.signin": "1. Sign in",
  "booth.signin.help": "Type the code and the credential key from your voter sheet. The key never leaves this device: it signs your ballot here.",
  "booth.code": "One-time code",
  "booth.key": "Credential key",
  "booth.signin.button": "Sign in",
  "booth.demo": "This is a demonstration referendum: its voter sheets are public, so that you can try the booth now.",
  "booth.demo.button": "Use a demonstration voter",
  "booth.choose": "2. Choose",
  "booth.yes": "Yes",
  "booth.no": "No",
  "booth.blank": "Blank",
  "booth.encrypt": "Encrypt my ballot",
  "booth.encrypted": "3. Your ballot is encrypted",
  "booth.encrypted.help": "Your choice is now locked inside this encrypted ballot. You can cast it, or first challenge it to check that it says what you chose: a challenged ballot is opened for checking and never counted, and you then vote again.",
  "booth.tracking": "Tracking code",
  "booth.cast": "Cast this ballot",
  "booth.challenge": "Challenge this ballot (check it)",
  "booth.challenged": "This ballot was challenged: it is opened and will not be counted.",
  "booth.challenged.help": "On another device, open the check page with the election and this tracking code, and see that it says what you chose. Then choose again here and cast.",
  "booth.check.link": "Check page for this ballot",
  "booth.cast.done": "Your ballot is cast.",
  "booth.receipt.ok": "Receipt verified in this browser: your ballot is in the public log at position {index}, under a checkpoint of {size} entries signed by the election's log key.",
  "booth.receipt.bad": "The receipt does NOT verify ({why}). Keep this page and report it.",
  "booth.revote": "You may vote again later with another code from your sheet: only your last ballot counts. This protects you if someone forces you to vote in front of them.",
  "booth.closed": "This referendum is not open for voting (phase: {phase}).",
  "booth.working": "Encrypting and proving on this device…",
  "error.code": "The code was not accepted: {message}",
  "error.key": "This credential key does not belong to the code you used. Check your sheet.",
  "error.keyformat": "The credential key is 64 characters 0-9 and a-f.",
  "error.choose": "Choose an answer for every question.",
  "error.server": "The server refused: {message}",
  "check.title": "Check a challenged ballot",
  "check.help": "Use a different device from the one you voted on. This page reads the public log itself and recomputes the opened ballot.",
  "check.election": "Election",
  "check.tracking": "Tracking code",
  "check.button": "Check",
  "check.ok": "The opened ballot is genuine: it says",
  "check.bad": "The opened ballot does NOT match its encryption. Report it.",
  "check.notfound": "No challenged ballot with this tracking code is in the log.",
  "results.title": "Results",
  "results.pending": "The results are not published yet (phase: {phase}).",
  "results.outcome.ratified": "Ratified: the rule's conditions hold.",
  "results.outcome.rejected": "Rejected: not every condition of the rule holds.",
  "results.outcome.per-region": "Decided region by region: see each region's conditions.",
  "results.rule": "The ratification rule, condition by condition",
  "results.map": "Map of the regions (green: yes, red: no)",
  "results.table": "Per region and nationally",
  "results.scope": "Region",
  "results.turnout": "Turnout",
  "results.national": "National",
  "results.merged": "Merged",
  "results.verify": "Verify it yourself",
  "results.verify.help": "Download the whole record and check every ballot, proof, decryption and this verdict with the independent verifier:",
  "results.download": "Download results.json",
  "footer.verify": "Anyone can verify the whole referendum: download its record and run convene verify.",
};

const ar: Table = {
  "app.name": "كونڤين",
  "nav.language": "اللغة",
  "nav.home": "الصفحة الرئيسية",
  "home.title": "عمليات التصويت الجارية",
  "home.intro": "اختر استفتاءً للتصويت فيه أو لمتابعته. يُشفَّر كل صوت على جهازك أنت، ويستطيع أي شخص التحقق من الفرز.",
  "home.vote": "صوِّت",
  "home.results": "النتائج",
  "home.none": "لا يوجد استفتاء بعد.",
  "home.phase": "المرحلة",
  "booth.title": "مقصورة الاقتراع",
  "booth.text": "النص المطلوب منك الموافقة عليه",
  "booth.signin": "١. تسجيل الدخول",
  "booth.signin.help": "اكتب الرمز ومفتاح الاعتماد من ورقة الناخب الخاصة بك. لا يغادر المفتاح هذا الجهاز أبدًا: فهو يوقّع بطاقتك هنا.",
  "booth.code": "الرمز لمرة واحدة",
  "booth.key": "مفتاح الاعتماد",
  "booth.signin.button": "تسجيل الدخول",
  "booth.demo": "هذا استفتاء تجريبي: أوراق ناخبيه علنية، لتتمكن من تجربة المقصورة الآن.",
  "booth.demo.button": "استخدم ناخبًا تجريبيًا",
  "booth.choose": "٢. اختر",
  "booth.yes": "نعم",
  "booth.no": "لا",
  "booth.blank": "ورقة بيضاء",
  "booth.encrypt": "شفِّر بطاقتي",
  "booth.encrypted": "٣. بطاقتك مشفّرة",
  "booth.encrypted.help": "اختيارك الآن مقفل داخل هذه البطاقة المشفّرة. يمكنك الإدلاء بها، أو الطعن فيها أولًا للتحقق من أنها تقول ما اخترته: تُفتح البطاقة المطعون فيها للتحقق ولا تُحتسب أبدًا، ثم تصوّت من جديد.",
  "booth.tracking": "رمز التتبّع",
  "booth.cast": "أدلِ بهذه البطاقة",
  "booth.challenge": "اطعن في هذه البطاقة (تحقّق منها)",
  "booth.challenged": "تم الطعن في هذه البطاقة: فُتحت ولن تُحتسب.",
  "booth.challenged.help": "على جهاز آخر، افتح صفحة التحقق مع الانتخاب ورمز التتبّع هذا، وتأكد من أنها تقول ما اخترته. ثم اختر من جديد هنا وأدلِ بصوتك.",
  "booth.check.link": "صفحة التحقق من هذه البطاقة",
  "booth.cast.done": "تم الإدلاء ببطاقتك.",
  "booth.receipt.ok": "تم التحقق من الإيصال في هذا المتصفح: بطاقتك في السجل العام في الموضع {index}، ضمن نقطة تحقق من {size} مدخلًا موقّعة بمفتاح سجل الانتخاب.",
  "booth.receipt.bad": "الإيصال لا يتحقق ({why}). احتفظ بهذه الصفحة وأبلغ عن ذلك.",
  "booth.revote": "يمكنك التصويت مرة أخرى لاحقًا برمز آخر من ورقتك: تُحتسب بطاقتك الأخيرة فقط. هذا يحميك إذا أجبرك أحد على التصويت أمامه.",
  "booth.closed": "هذا الاستفتاء غير مفتوح للتصويت (المرحلة: {phase}).",
  "booth.working": "جارٍ التشفير والإثبات على هذا الجهاز…",
  "error.code": "لم يُقبل الرمز: {message}",
  "error.key": "مفتاح الاعتماد هذا لا يخص الرمز الذي استخدمته. راجع ورقتك.",
  "error.keyformat": "مفتاح الاعتماد ٦٤ حرفًا من 0-9 و a-f.",
  "error.choose": "اختر إجابة لكل سؤال.",
  "error.server": "رفض الخادم: {message}",
  "check.title": "التحقق من بطاقة مطعون فيها",
  "check.help": "استخدم جهازًا غير الذي صوّتَّ عليه. تقرأ هذه الصفحة السجل العام بنفسها وتعيد حساب البطاقة المفتوحة.",
  "check.election": "الانتخاب",
  "check.tracking": "رمز التتبّع",
  "check.button": "تحقّق",
  "check.ok": "البطاقة المفتوحة أصلية: إنها تقول",
  "check.bad": "البطاقة المفتوحة لا تطابق تشفيرها. أبلغ عن ذلك.",
  "check.notfound": "لا توجد في السجل بطاقة مطعون فيها بهذا الرمز.",
  "results.title": "النتائج",
  "results.pending": "لم تُنشر النتائج بعد (المرحلة: {phase}).",
  "results.outcome.ratified": "تمت المصادقة: شروط القاعدة متحققة.",
  "results.outcome.rejected": "مرفوض: لم تتحقق كل شروط القاعدة.",
  "results.outcome.per-region": "يُحسم منطقةً منطقة: انظر شروط كل منطقة.",
  "results.rule": "قاعدة المصادقة، شرطًا شرطًا",
  "results.map": "خريطة المناطق (الأخضر: نعم، الأحمر: لا)",
  "results.table": "حسب المنطقة وعلى المستوى الوطني",
  "results.scope": "المنطقة",
  "results.turnout": "نسبة المشاركة",
  "results.national": "وطنيًا",
  "results.merged": "مدمجة",
  "results.verify": "تحقّق بنفسك",
  "results.verify.help": "نزّل السجل كاملًا وتحقّق من كل بطاقة وإثبات وفك تشفير ومن هذا الحكم بالمدقق المستقل:",
  "results.download": "نزّل results.json",
  "footer.verify": "يستطيع أي شخص التحقق من الاستفتاء كله: نزّل سجله وشغّل convene verify.",
};

const ckb: Table = {
  "app.name": "کۆنڤین",
  "nav.language": "زمان",
  "nav.home": "سەرەکی",
  "home.title": "دەنگدانەکانی ئێستا",
  "home.intro": "ڕاپرسییەک هەڵبژێرە بۆ دەنگدان یان بۆ بەدواداچوون. هەموو دەنگێک لەسەر ئامێرەکەی خۆت شفرە دەکرێت؛ هەر کەسێک دەتوانێت ژماردنەکە پشتڕاست بکاتەوە.",
  "home.vote": "دەنگ بدە",
  "home.results": "ئەنجامەکان",
  "home.none": "هێشتا هیچ ڕاپرسییەک نییە.",
  "home.phase": "قۆناغ",
  "booth.title": "ژووری دەنگدان",
  "booth.text": "ئەو دەقەی داوات لێ دەکرێت پەسەندی بکەیت",
  "booth.signin": "١. چوونەژوورەوە",
  "booth.signin.help": "کۆد و کلیلی ناسنامەکە لە پەڕەی دەنگدەرەکەت بنووسە. کلیلەکە هەرگیز ئەم ئامێرە جێناهێڵێت: لێرە واژۆی دەنگەکەت دەکات.",
  "booth.code": "کۆدی یەکجاری",
  "booth.key": "کلیلی ناسنامە",
  "booth.signin.button": "چوونەژوورەوە",
  "booth.demo": "ئەمە ڕاپرسییەکی نموونەییە: پەڕەکانی دەنگدەرانی گشتین، بۆ ئەوەی ئێستا ژووری دەنگدان تاقی بکەیتەوە.",
  "booth.demo.button": "دەنگدەرێکی نموونەیی بەکاربهێنە",
  "booth.choose": "٢. هەڵبژێرە",
  "booth.yes": "بەڵێ",
  "booth.no": "نەخێر",
  "booth.blank": "سپی",
  "booth.encrypt": "دەنگەکەم شفرە بکە",
  "booth.encrypted": "٣. دەنگەکەت شفرە کرا",
  "booth.encrypted.help": "هەڵبژاردنەکەت ئێستا لەناو ئەم دەنگە شفرەکراوەدا داخراوە. دەتوانیت بیدەیت، یان سەرەتا تاقی بکەیتەوە بۆ ئەوەی دڵنیا بیت ئەوە دەڵێت کە هەڵتبژاردووە: دەنگی تاقیکراوە بۆ پشکنین دەکرێتەوە و هەرگیز ناژمێردرێت، پاشان دووبارە دەنگ دەدەیت.",
  "booth.tracking": "کۆدی بەدواداچوون",
  "booth.cast": "ئەم دەنگە بدە",
  "booth.challenge": "ئەم دەنگە تاقی بکەرەوە (بیپشکنە)",
  "booth.challenged": "ئەم دەنگە تاقیکرایەوە: کرایەوە و ناژمێردرێت.",
  "booth.challenged.help": "لەسەر ئامێرێکی تر، پەڕەی پشکنین بە هەڵبژاردنەکە و ئەم کۆدی بەدواداچوونە بکەرەوە و ببینە کە ئەوە دەڵێت کە هەڵتبژاردووە. پاشان لێرە دووبارە هەڵبژێرە و دەنگ بدە.",
  "booth.check.link": "پەڕەی پشکنینی ئەم دەنگە",
  "booth.cast.done": "دەنگەکەت درا.",
  "booth.receipt.ok": "پسوولەکە لەم وێبگەڕەدا پشتڕاست کرایەوە: دەنگەکەت لە تۆماری گشتیدایە لە شوێنی {index}، لەژێر خاڵی پشکنینێکی {size} تۆماردا کە بە کلیلی تۆماری هەڵبژاردنەکە واژۆ کراوە.",
  "booth.receipt.bad": "پسوولەکە پشتڕاست نابێتەوە ({why}). ئەم پەڕەیە بهێڵەرەوە و ڕاپۆرتی بکە.",
  "booth.revote": "دەتوانیت دواتر بە کۆدێکی تری پەڕەکەت دووبارە دەنگ بدەیت: تەنها دوایین دەنگت دەژمێردرێت. ئەمە دەتپارێزێت ئەگەر کەسێک ناچارت بکات لەبەردەمیدا دەنگ بدەیت.",
  "booth.closed": "ئەم ڕاپرسییە بۆ دەنگدان کراوە نییە (قۆناغ: {phase}).",
  "booth.working": "لەسەر ئەم ئامێرە شفرە و سەلماندن دەکرێت…",
  "error.code": "کۆدەکە قبووڵ نەکرا: {message}",
  "error.key": "ئەم کلیلی ناسنامەیە هی ئەو کۆدە نییە کە بەکارتهێنا. پەڕەکەت بپشکنە.",
  "error.keyformat": "کلیلی ناسنامە ٦٤ پیتە لە 0-9 و a-f.",
  "error.choose": "بۆ هەموو پرسیارێک وەڵامێک هەڵبژێرە.",
  "error.server": "ڕاژەکار ڕەتی کردەوە: {message}",
  "check.title": "پشکنینی دەنگێکی تاقیکراوە",
  "check.help": "ئامێرێکی جیاواز لەوەی دەنگت پێدا بەکاربهێنە. ئەم پەڕەیە خۆی تۆماری گشتی دەخوێنێتەوە و دەنگە کراوەکە دووبارە هەژمار دەکاتەوە.",
  "check.election": "هەڵبژاردن",
  "check.tracking": "کۆدی بەدواداچوون",
  "check.button": "بپشکنە",
  "check.ok": "دەنگە کراوەکە ڕەسەنە: دەڵێت",
  "check.bad": "دەنگە کراوەکە لەگەڵ شفرەکەیدا ناگونجێت. ڕاپۆرتی بکە.",
  "check.notfound": "هیچ دەنگێکی تاقیکراوە بەم کۆدە لە تۆمارەکەدا نییە.",
  "results.title": "ئەنجامەکان",
  "results.pending": "ئەنجامەکان هێشتا بڵاو نەکراونەتەوە (قۆناغ: {phase}).",
  "results.outcome.ratified": "پەسەند کرا: مەرجەکانی یاساکە جێبەجێ بوون.",
  "results.outcome.rejected": "ڕەت کرایەوە: هەموو مەرجەکانی یاساکە جێبەجێ نەبوون.",
  "results.outcome.per-region": "هەرێم بە هەرێم بڕیار دەدرێت: مەرجەکانی هەر هەرێمێک ببینە.",
  "results.rule": "یاسای پەسەندکردن، مەرج بە مەرج",
  "results.map": "نەخشەی هەرێمەکان (سەوز: بەڵێ، سوور: نەخێر)",
  "results.table": "بەپێی هەرێم و لە ئاستی نیشتمانیدا",
  "results.scope": "هەرێم",
  "results.turnout": "بەشداری",
  "results.national": "نیشتمانی",
  "results.merged": "تێکەڵکراو",
  "results.verify": "خۆت پشتڕاستی بکەرەوە",
  "results.verify.help": "هەموو تۆمارەکە دابەزێنە و هەموو دەنگێک، سەلماندنێک، شیکردنەوەیەک و ئەم بڕیارە بە پشکنەری سەربەخۆ بپشکنە:",
  "results.download": "results.json دابەزێنە",
  "footer.verify": "هەر کەسێک دەتوانێت هەموو ڕاپرسییەکە پشتڕاست بکاتەوە: تۆمارەکەی دابەزێنە و convene verify بەکاربهێنە.",
};

const TABLES: Record<Lang, Table> = { en, ar, ckb };

export function currentLang(): Lang {
  const asked = new URLSearchParams(location.search).get("lang") ?? localStorage.getItem("convene-lang");
  return LANGS.some((l) => l.code === asked) ? (asked as Lang) : "en";
}

/** The text of `key` in the current language (English if missing), with `{name}` filled in. */
export function t(key: string, values: Record<string, string | number> = {}): string {
  const lang = currentLang();
  const text = TABLES[lang][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => {
    const v = values[name];
    return typeof v === "number" ? formatNumber(v) : (v ?? "");
  });
}

/** A number in the current language's digits and grouping. */
export function formatNumber(n: number): string {
  return new Intl.NumberFormat(currentLang() === "ckb" ? "ckb-IQ" : currentLang() === "ar" ? "ar-IQ" : "en").format(n);
}

/** Sets <html lang dir>, fills every [data-t], and builds the language switcher in #lang. */
export function apply(): void {
  const lang = currentLang();
  const meta = LANGS.find((l) => l.code === lang)!;
  document.documentElement.lang = lang;
  document.documentElement.dir = meta.dir;
  document.querySelectorAll<HTMLElement>("[data-t]").forEach((el) => {
    el.textContent = t(el.dataset.t!);
  });
  const select = document.getElementById("lang") as HTMLSelectElement | null;
  if (select && select.options.length === 0) {
    for (const l of LANGS) select.add(new Option(l.name, l.code));
    select.addEventListener("change", () => {
      localStorage.setItem("convene-lang", select.value);
      const url = new URL(location.href);
      url.searchParams.set("lang", select.value);
      history.replaceState(null, "", url);
      apply();
      document.dispatchEvent(new Event("convene:lang"));
    });
  }
  if (select) select.value = lang;
}

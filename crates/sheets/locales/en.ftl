# The voter's sheet and the code issuer's slip (crates/sheets). Reviewed by: the engineers only.
sheet-voter = Voter sheet
sheet-slip = Sign-in code slip
sheet-who = { $voter } — region { $region }
step-open = Scan the QR code with your phone's camera, or open { $address } and type the credential and the code.
step-open-slip = When the booth asks for your sign-in code, scan this QR code, or type the code.
step-check = Check that the booth shows this election fingerprint: { $fingerprint }. If it does not, do not vote there.
step-check-none = Check that the booth shows the election fingerprint that the election authority publishes.
step-vote = Choose, read your choice back, and cast. Keep your receipt.
credential = Credential — keep it secret
code = Sign-in code
codes-count = { $count ->
    [one] You have one sign-in code.
   *[other] You have { $count } sign-in codes: each works once. To vote again, use the next; only your last ballot counts.
}
codes-elsewhere = Your sign-in code comes on a separate slip from the code issuer.
address = Booth
fingerprint = Fingerprint
cut-here = Cut here
reference = Reference, the same on the sheet and the slip: { $reference }

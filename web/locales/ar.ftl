# كلمات صفحات الويب بالعربية. كتبها المهندسون؛ تحتاج إلى مراجعة متحدث أصلي (docs/translating.md).
# Reviewed by: the engineers only.

app-name = كونڤين
nav-language = اللغة
nav-home = الصفحة الرئيسية
home-title = عمليات التصويت الجارية
home-intro = اختر استفتاءً للتصويت فيه أو لمتابعته. يُشفَّر كل صوت على جهازك أنت، ويستطيع أي شخص التحقق من الفرز.
home-vote = صوِّت
home-results = النتائج
home-assembly = الجمعية
home-conventions = المؤتمرات التأسيسية
home-none = لا يوجد استفتاء بعد.
home-phase = المرحلة
booth-title = مقصورة الاقتراع
booth-text = النص المطلوب منك الموافقة عليه
booth-signin = ١. تسجيل الدخول
booth-signin-help = امسح رمز QR على ورقة الناخب، أو اكتب رمز الاعتماد والرمز المطبوعين عليها. لا يغادر رمز الاعتماد هذا الجهاز أبدًا: فهو يوقّع بطاقتك هنا.
booth-code = الرمز لمرة واحدة
booth-key = رمز الاعتماد
booth-signin-button = تسجيل الدخول
booth-demo = هذا استفتاء تجريبي: أوراق ناخبيه علنية، لتتمكن من تجربة المقصورة الآن.
booth-demo-button = استخدم ناخبًا تجريبيًا
booth-choose = ٢. اختر
booth-yes = نعم
booth-no = لا
booth-blank = ورقة بيضاء
booth-encrypt = شفِّر بطاقتي
booth-encrypted = ٣. بطاقتك مشفّرة
booth-encrypted-help = اختيارك الآن مقفل داخل هذه البطاقة المشفّرة. يمكنك الإدلاء بها، أو اختبارها أولًا للتأكد من أنها تقول ما اخترته: تُفتح البطاقة المختبَرة للتحقق ولا تُحتسب أبدًا، ثم تصوّت من جديد.
booth-tracking = رمز التتبّع
booth-chosen = تقول هذه البطاقة:
booth-review = راجع اختيارك
booth-review-next = التالي: راجع اختياري
booth-review-help = لم يُشفَّر شيء ولم يُرسَل بعد. هل هذا ما تريد أن تقوله بطاقتك؟
booth-review-change = غيّر اختياري
booth-chosen-cast = تقول البطاقة التي أدليت بها:
booth-cast = أدلِ بهذه البطاقة
booth-challenge = اختبر هذه البطاقة (افتحها وتحقّق منها)
booth-challenged = اختُبرت هذه البطاقة: فُتحت ولن تُحتسب.
booth-challenged-help = على جهاز آخر، افتح صفحة التحقق مع الانتخاب ورمز التتبّع هذا، وتأكد من أنها تقول ما اخترته. ثم اختر من جديد هنا وأدلِ بصوتك.
booth-check-link = صفحة التحقق من هذه البطاقة
booth-cast-done = تم الإدلاء ببطاقتك.
booth-receipt-ok = تم التحقق من الإيصال في هذا المتصفح: بطاقتك في السجل العام في الموضع { $index }، ضمن نقطة تحقق { $size ->
    [zero] فارغة
    [one] من مدخل واحد
    [two] من مدخلين
    [few] من { $size } مدخلات
    [many] من { $size } مدخلًا
   *[other] من { $size } مدخل
} موقّعة بمفتاح سجل الانتخاب.
booth-receipt-bad = الإيصال لا يتحقق ({ $why }). احتفظ بهذه الصفحة وأبلغ عن ذلك.
booth-revote = يمكنك التصويت مرة أخرى لاحقًا برمز آخر من ورقتك: تُحتسب بطاقتك الأخيرة فقط. هذا يحميك إذا أجبرك أحد على التصويت أمامه.
booth-closed = هذا الاستفتاء غير مفتوح للتصويت (المرحلة: { $phase }).
booth-fingerprint = بصمة الانتخاب (يجب أن تطابق البصمة المطبوعة على قسيمة رمزك):
booth-pin-bad = لن تُشفِّر هذه المقصورة: مفتاح الانتخاب أو بصمته ليسا ما وقّعه الأمناء والهيئة ({ $why }). لا تصوّت هنا، وأبلِغ عن ذلك.
booth-working = جارٍ التشفير والإثبات على هذا الجهاز…
booth-witnessing = حُفظت بطاقتك في الموضع { $index } من السجل العام. ننتظر أن يؤكد شهود الاقتراع السجل قبل إصدار الإيصال…
error-code = لم يُقبل الرمز: { $message }
error-key = مفتاح الاعتماد هذا ليس مفتاح هذا الرمز. راجع المفتاح في ورقتك: لم يُستهلك الرمز.
booth-noscript = تشفّر هذه الصفحة بطاقتك على جهازك: فعّل جافاسكربت لتسجّل الدخول وتصوّت. لا يُرسَل شيء مما تكتبه هنا من دونها.
error-keyformat = رمز الاعتماد هو الحروف والأرقام الثمانية عشر على ورقة الناخب (وفي بعض الانتخابات مفتاح من ٦٤ حرفًا من 0-9 و a-f).
error-choose = اختر إجابة لكل سؤال.
error-server = رفض الخادم: { $message }
error-unreachable = لا تستطيع هذه الصفحة الوصول إلى خادم الانتخاب ({ $message }). إن كانت نسخة من المقصورة فقد لا يكون عنوانها من العناوين التي يدرجها الانتخاب: استخدم مقصورة الانتخاب نفسها.
assembly-withheld = يعرض الخادم { $shown } من أحداثك، لكنه قبِل { $kept } (يحتفظ هذا المتصفح بإيصالاتها الموقّعة): لقد حجب واحدًا منها. لم يُرسَل شيء. أبلِغ عن ذلك.
assembly-receipt-bad = قبِل الخادم حدثك، لكن إيصاله لا يصمد أمام التحقق ({ $why }). أبلِغ عن ذلك.
assembly-checkpoint-bad = آخر نقطة تحقق لدى الخادم غير موقّعة بمفتاح سجل المؤتمر. لم يُرسَل شيء. أبلِغ عن ذلك.
check-title = التحقق من بطاقة مطعون فيها
check-help = استخدم جهازًا غير الذي صوّتَّ عليه. تقرأ هذه الصفحة السجل العام بنفسها وتعيد حساب البطاقة المفتوحة.
check-election = الانتخاب
check-tracking = رمز التتبّع
check-button = تحقّق
check-ok = البطاقة المفتوحة أصلية: إنها تقول
check-bad = البطاقة المفتوحة لا تطابق تشفيرها. أبلغ عن ذلك.
check-notfound = لا توجد في السجل بطاقة مطعون فيها بهذا الرمز.
results-title = النتائج
results-pending = لم تُنشر النتائج بعد (المرحلة: { $phase }).
results-outcome-ratified = تمت المصادقة: شروط القاعدة متحققة.
results-outcome-rejected = مرفوض: لم تتحقق كل شروط القاعدة.
results-outcome-per-region = يُحسم منطقةً منطقة: انظر شروط كل منطقة.
results-rule = قاعدة المصادقة، شرطًا شرطًا
results-map = خريطة المناطق: نسبة «نعم»
results-map-region = { $region }: { $share } نعم
results-map-alone = { $region }: لا تُعلَن نتيجتها وحدها (مدمجة مع مناطق صغيرة أخرى)
results-legend-no = { $share } نعم (الكل لا)
results-legend-half = { $share }
results-legend-yes = { $share } نعم
results-legend-merged = لا تُعلَن وحدها
results-table = حسب المنطقة وعلى المستوى الوطني
results-scope = المنطقة
results-turnout = نسبة المشاركة
results-national = وطنيًا
results-merged = مدمجة
results-verify = تحقّق بنفسك
results-verify-help = نزّل السجل كاملًا وتحقّق من كل بطاقة وإثبات وفك تشفير ومن هذا الحكم بالمدقق المستقل:
assembly-title = الجمعية
assembly-you = أنت
assembly-signin = سجّل الدخول كمشارك
assembly-key = مفتاحك (من convene assembly keygen): يبقى في هذه الصفحة ويوقّع أفعالك هنا
assembly-agenda = جدول الأعمال
assembly-votes = عمليات التصويت
assembly-motions = المقترحات
assembly-speakers = المتحدثون
assembly-apportionment = توزيع المقاعد
assembly-constitution = الدستور حتى الآن
assembly-communique = البيان الختامي حتى الآن
assembly-delegation = الوفد
assembly-new-paragraph = اقترح فقرة جديدة
assembly-role-chair = الرئيس
assembly-role-secretary = أمين السر
assembly-role-delegate = مندوب
assembly-role-observer = مراقب
assembly-role-public = الجمهور (قراءة)
assembly-unknown = هذا المفتاح ليس للرئيس ولا لأمين السر ولا لأحد الأعضاء.
assembly-signed = تم تسجيل الدخول بصفتك { $role }.
assembly-accepted = قُبل: إنه في سجل المؤتمر في المدخل { $index }، ضمن نقطة تحقق موقّعة.
assembly-vote = التصويت
assembly-motion = المقترح
assembly-amendment = التعديل
assembly-ranked = اختيار بالترتيب
assembly-open-now = مفتوح
assembly-adopted = اعتُمد
assembly-rejected = لم يُعتمد
assembly-abstain = امتناع
assembly-voted = صوّتَّ: { $choice }
assembly-close = أغلق التصويت
assembly-open = افتح تصويتًا
assembly-rule = القاعدة
assembly-rule-simple = أغلبية بسيطة من الأعضاء الحاضرين
assembly-rule-absolute = أغلبية مطلقة من الأعضاء في مناصبهم
assembly-rule-two-thirds = ثلثا الأعضاء في مناصبهم
assembly-role-head = رئيس وفد
assembly-rule-unanimity = إجماع الوفود الحاضرة (الامتناع لا يمنع)
assembly-rule-consensus = توافق: يُعتمد ما لم يعترض وفد
assembly-consensus-help = يُعتمد هذا النص بالتوافق ما لم يعترض وفد. لا تفعل شيئًا ليُعتمد.
assembly-object = الاعتراض باسم وفدي
assembly-objecting = وفدك معترض: لا يمكن اعتماد النص ما دام اعتراضك قائمًا.
assembly-withdraw = سحب اعتراضي
assembly-objections = { $n ->
    [0] لا اعتراض قائم
    [one] اعتراض واحد قائم
    [two] اعتراضان قائمان
    [few] { $n } اعتراضات قائمة
   *[other] { $n } اعتراضًا قائمًا
}
assembly-by = قدّمه
assembly-status-open = مفتوح
assembly-status-adopted = معتمد
assembly-status-rejected = مرفوض
assembly-status-withdrawn = مسحوب
assembly-amend = اقترح تعديلًا
assembly-from = من السطر
assembly-to = إلى السطر (ما قبل «من» يعني إدراجًا)
assembly-with = الأسطر البديلة (الفراغ يحذف)
assembly-propose = اقترح
assembly-added = أُضيف
assembly-removed = حُذف
assembly-new = قدّم مادة جديدة
assembly-new-title = العنوان
assembly-new-text = النص
assembly-move = قدّم
assembly-give = أعطِ الكلمة (٦٠ ثانية)
assembly-ask = اطلب الكلمة
assembly-left = وقت الكلام المتبقي في هذا البند
assembly-next = البند التالي
assembly-apportioned = { $seats ->
    [zero] لم يُوزَّع أي مقعد
    [one] وُزّع مقعد واحد
    [two] وُزّع مقعدان
    [few] وُزّعت { $seats } مقاعد
    [many] وُزّع { $seats } مقعدًا
   *[other] وُزّع { $seats } مقعد
} بطريقة { $method }؛ المناطق المحلية من { $source }.
assembly-locality = المنطقة المحلية
assembly-population = السكان
assembly-seats = المقاعد
assembly-article = المادة
assembly-history = كيف اعتُمدت
assembly-translation-by = الترجمة إلى { $lang }، قدّمها { $name }
assembly-translation-stale = الترجمة إلى { $lang } لنسخة سابقة من هذا النص، قبل إقرار تعديل عليه؛ لذلك لا تُعرض.
assembly-original = النص الأصلي
assembly-translate = قدّم ترجمة لهذا النص
assembly-translate-lang = اللغة (رمز مثل ar أو ckb)
assembly-translate-send = قدّم الترجمة
assembly-none = لا شيء بعد.
assembly-power = الصلاحية
assembly-holder = صاحبها
assembly-holder-centre = المركز
assembly-holder-shared = مشتركة
assembly-holder-regions = الأقاليم
assembly-milestone = بعد { $years } سنوات من المصادقة: { $event } في { $region }.
assembly-revenue = سيناريوهات تقاسم الإيرادات
assembly-revenue-help = ما تتلقاه كل منطقة محلية للفرد بموجب كل مقترح لتقاسم الإيرادات، لإيراد قدره { $revenue } وحدة.
assembly-revenue-chart = الحصة للفرد حسب المنطقة المحلية، عمود لكل سيناريو
assembly-perhead = للفرد
assembly-powertable = القوة التصويتية للوفود الإقليمية
assembly-power-help = لو صوّت كل وفد إقليمي ككتلة واحدة، مع الحاجة إلى { $quota ->
    [zero] صفر مقاعد
    [one] مقعد واحد
    [two] مقعدين
    [few] { $quota } مقاعد
    [many] { $quota } مقعدًا
   *[other] { $quota } مقعد
} لإقرار مقترح:
assembly-banzhaf = بانزاف
assembly-shapley = شابلي–شوبيك
receipt-title = تحقّق من إيصالك
receipt-help = في أي وقت ومن أي جهاز: تطلب هذه الصفحة إثبات إدراج بطاقتك مقابل أحدث نقطة تحقق موقّعة، وتتحقق منه هنا.
receipt-index = الموضع في السجل
receipt-missing = لا يوجد مدخل في هذا الموضع ضمن نقطة تحقق موقّعة بعد.
receipt-other = المدخل في هذا الموضع له رمز تتبّع آخر.
receipt-kept = يُقارَن إيصالك المحفوظ على هذا الجهاز (أو ملف إيصال) بالسجل وبشهود الانتخاب.
receipt-file = ملف الإيصال (اختياري؛ يحفظ هذا الجهاز إيصالات ما أدلى به)
receipt-notinlog = ليس في السجل: { $why }.
receipt-equivocation = شجرتان بالحجم نفسه موقّعتان (احتفظ بهذا الإيصال: إنه يثبت المراوغة): { $why }.
receipt-superseded = حلّت محلّه بطاقة لاحقة باعتمادك (المدخل { $later } في السجل). إن لم تصوّت مرة أخرى فأبلِغ عن ذلك.
receipt-witnesses = رأى { $seen } من شهود الانتخاب الـ{ $count } سجلًا متّسقًا مع إيصالك.
receipt-unreachable = تعذّر سؤال الشاهد { $name }.
receipt-copy = نسخة من السجل (عنوانها؛ اختياري)
receipt-reading = جارٍ قراءة نسخة السجل: { $done } من { $total }…
receipt-behind = عدد مدخلات نسخة السجل { $size }، وهو أقل من حجم نقطة التحقق في إيصالك ({ $mine }): اطلب نسخة أحدث.
receipt-ahead = رأى الشاهد { $name } مدخلات أكثر ({ $size }) مما في هذه النسخة من السجل.
receipt-fromcopy = تم التحقق مقابل نسخة السجل في { $copy } (عدد المدخلات: { $size }، موقّعة ومشهود عليها).
receipt-badcopy = هذه النسخة من السجل لا تطابق نقطة التحقق الموقّعة ({ $why }): لا تثق بهذه النسخة، وأبلِغ عن ذلك.
booth-receipt-download = نزّل الإيصال
booth-receipt-print = اطبع الإيصال
booth-receipt-share = شارك رابط الإيصال
booth-receipt-link = تحقّق من هذا الإيصال مجددًا لاحقًا
assembly-quorum = النصاب
assembly-quorum-none = بلا نصاب
assembly-quorum-half = النصاب: حضور نصف الأعضاء
assembly-quorum-two-thirds = النصاب: حضور الثلثين
assembly-concurrent = الأغلبيات المتزامنة
assembly-concurrent-no = أغلبية واحدة للجمعية كلها
assembly-concurrent-yes = وأغلبية في كل وفد إقليمي
assembly-weighting = الأوزان
assembly-weighting-equal = لكل مندوب الوزن نفسه
assembly-weighting-population = بحسب عدد السكان
assembly-weighting-sqrt_population = بحسب الجذر التربيعي لعدد السكان
assembly-ranked-open = افتح تصويتًا بالترتيب بين هذه المقترحات
assembly-ranked-two = اختر مقترحين أو أكثر.
assembly-ranked-place = الاختيار { $place }
assembly-ranked-send = أرسل ترتيبي
assembly-ranked-invalid = رتّب كل مقترح مرة واحدة على الأكثر، ومقترحًا واحدًا على الأقل.
assembly-ranked-done = وصل ترتيبك.
rule-holds = متحقق
rule-fails = غير متحقق
rule-clears = يتجاوز
rule-notclears = لا يتجاوز
rule-approval = الموافقة
rule-approval-detail = نعم { $yes } من { $base } { $kind } = { $share }، وهو { $clears } العتبة { $bar }
rule-tie = (لكن «نعم» لا تزيد على «لا»: التعادل ليس أغلبية أبدًا)
rule-base-valid = صوتًا صحيحًا
rule-base-cast = صوتًا مُدلى به
rule-base-registered = ناخبًا مسجلًا
rule-quorum = نصاب المشاركة
rule-quorum-detail = صوّت { $cast } من { $registered ->
    [zero] أصل لا أحد مسجّلًا
    [one] مسجّل واحد
    [two] مسجّلَين
    [few] { $registered } مسجّلين
    [many] { $registered } مسجّلًا
   *[other] { $registered } مسجّل
} = { $share }، وهو { $clears } العتبة { $bar }
rule-regions = أغلبية المناطق
rule-regions-detail = وزن المناطق الموافقة { $weight } من { $all } = { $share }، وهو { $clears } العتبة { $bar } (الموافقة: { $names })
assembly-ballot = الاقتراع
assembly-ballot-named = أصوات علنية موقّعة
assembly-ballot-secret = اقتراع سري (استفتاء للمندوبين)
assembly-secret-booth = صوّت سرًا في الاستفتاء { $referendum }
assembly-secret-pending = يُغلق الاقتراع السري بعد أن ينشر استفتاؤه نتائجه.
footer-verify = يستطيع أي شخص التحقق من الاستفتاء كله: نزّل سجله وشغّل convene verify.
error-typed-alphabet = «{ $char }» غير مستعمل في الورقة: لا يوجد 0 ولا O ولا 1 ولا I. راجع هذا الحرف.
error-typed-length = رمز الاعتماد ثمانية عشر حرفًا في ثلاث مجموعات: حرف ناقص أو زائد.
error-typed-check = أحد حروف رمز الاعتماد مكتوب خطأً: قارنه بورقتك مجموعةً مجموعة.
error-codecheck = أحد حروف الرمز مكتوب خطأً: قارنه بورقتك. لم يُستهلك أي رمز.
booth-deriving = جارٍ فتح رمز الاعتماد على هذا الجهاز… { $percent }
booth-scanned = مُلئ من رمز QR الذي مسحته: تأكّد أنها ورقتك، ثم سجّل الدخول.
booth-scan = امسح رمز QR بالكاميرا
booth-scan-looking = ضع رمز QR الذي على قسيمة الرمز أمام الكاميرا…
booth-scan-denied = تعذّر فتح الكاميرا: اكتب الرمز بدلًا من ذلك.
booth-scan-timeout = لم يُقرأ أي رمز QR: أعد المحاولة في ضوء أفضل، أو اكتب الرمز.
booth-check-qr = عنوان صفحة التحقق كرمز QR: امسحه بالجهاز الآخر.
page-loading = جارٍ التحميل…
phase-draft = مسودة
phase-ceremony = مراسم المفاتيح
phase-credentials = تسجيل الناخبين
phase-open = مفتوح
phase-closed = مغلق
phase-tallied = جُمعت الأصوات
phase-decrypted = فُكّ التشفير
phase-published = نُشرت النتائج

timeline-title = الجدول الزمني
timeline-help = يوقّع رئيس المؤتمر هذه التواريخ، ويعيد convene verify حسابها من يوم التصديق.
timeline-pending = تُحدَّد تواريخ المراحل حين تُنشر نتائج الاستفتاء على التصديق ويوقّع رئيس المؤتمر يوم التصديق.
timeline-ratified = التصديق على الدستور
timeline-milestone = { $event } في { $region }
timeline-article = المادة { $n }
timeline-ratification = التصديق
timeline-after = بعد { $span } من { $what }
timeline-and = { " و" }
timeline-years = { $n ->
    [zero] صفر سنة
    [one] سنة واحدة
    [two] سنتين
    [few] { $n } سنوات
    [many] { $n } سنة
   *[other] { $n } سنة
}
timeline-months = { $n ->
    [zero] صفر شهر
    [one] شهر واحد
    [two] شهرين
    [few] { $n } أشهر
    [many] { $n } شهرًا
   *[other] { $n } شهر
}
timeline-past = مضى
timeline-coming = قادم
timeline-hijri = التقويم الهجري

# رفض الخادم، برموزه الثابتة (docs/openapi.json)، كما تقوله مقصورة الاقتراع.
api-unknown_code = لا يوجد رمز كهذا: راجعه في ورقتك أو قسيمتك
api-spent_code = استُعمل هذا الرمز من قبل: سجّل الدخول بالرمز التالي في ورقتك أو قسيمتك
api-wrong_key = رمز الاعتماد ليس الذي صدر له هذا الرمز؛ لم يُستهلك الرمز
api-bad_credential = رمز الاعتماد غير سليم البنية
api-rate_limited = محاولات كثيرة من هنا: انتظر دقيقة ثم أعد المحاولة
api-wrong_phase = التصويت غير مفتوح
api-not_found = لا يوجد انتخاب كهذا
api-bad_session = انتهت صلاحية دخولك: سجّل الدخول مجددًا بالرمز التالي
api-session_cap = أرسل هذا الدخول كل البطاقات المسموح بها: سجّل الدخول مجددًا بالرمز التالي
api-too_many_ballots = بلغ رمز الاعتماد هذا أقصى عدد من البطاقات يسمح به الانتخاب
api-repeated_ballot = هذه البطاقة موجودة في السجل من قبل
api-reuses_reveal = تعيد هذه البطاقة استعمال عشوائية بطاقة مختبرة: شفّرها من جديد
api-not_eligible = رمز الاعتماد هذا ليس في قائمة الانتخاب
api-not_your_credential = هذه البطاقة غير موقّعة برمز الاعتماد الذي دخلت به
api-bad_ballot = البطاقة غير سليمة البنية
api-bad_proof = براهين البطاقة لا تتحقق
api-bad_reveal = فتح البطاقة المختبرة لا يطابقها
api-bad_one_time_key = المفتاح لمرة واحدة في البطاقة مرفوض
api-not_yet_witnessed = حُفظت البطاقة، لكن الشهود لم يؤكدوا السجل بعد: سيتبعها إيصالها؛ تحقق منها لاحقًا برمز التتبّع
api-unavailable = قاعدة بيانات الانتخاب غير متاحة للحظة، ولم يُسجَّل شيء: أعد المحاولة بعد ثوانٍ
api-storage_full = قرص الخادم ممتلئ، فلم يُسجَّل شيء؛ وقد أُبلغ مشغّلوه: أعد المحاولة بعد بضع دقائق
receipt-witness-seen = { $name }: سجل { $size ->
    [zero] فارغ
    [one] من مدخل واحد
    [two] من مدخلين
    [few] من { $size } مدخلات
    [many] من { $size } مدخلًا
   *[other] من { $size } مدخل
} متّسق مع إيصالك، شُهد عليه في { $date }.

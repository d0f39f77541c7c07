# أسباب رفض حالة المؤتمر لحدث ما، بحسب رمز الرفض الثابت (docs/convention.md §4.1).
# كتبها المهندسون، وتحتاج إلى مراجعة متحدث أصلي (docs/translating.md). تُكتب الأعداد بصيغة
# «رقم ...» أو «عددها ...» حيث أمكن، تجنبًا لأخطاء مطابقة العدد والمعدود.

refusal-invalid = { $detail }
refusal-log_closed = سلّم المؤتمر دستوره إلى الاستفتاء؛ السجل مغلق
refusal-only_chair = لا يفعل هذا إلا الرئيس
refusal-only_secretary = لا يفعل هذا إلا أمين السر
refusal-only_delegate = لا يفعل هذا إلا مندوب معتمد
refusal-observer = لا يحق للمراقبين تقديم المقترحات أو تعديلها أو الكلام أو التصويت
refusal-head_votes = في مؤتمر الدول تصوّت كل دولة عبر رئيس وفدها
refusal-wrong_family = فُحص حدث { $kind } مع فئة أحداث غير فئته
refusal-out_of_sequence = هذا حدث الموقّع رقم { $n }، لكن رقم حدثه التالي هو { $next }
refusal-seen_ahead = رأى الموقّع سجلًا عدد مدخلاته { $seen }، لكن هذا هو المدخل رقم { $entry }: نُقل إلى ما قبل ما رآه موقّعه
refusal-seen_other_log = السجل الذي رآه موقّعه (عدد مدخلاته { $seen }) ليس أول { $seen } من مدخلات هذا السجل
refusal-seen_back = رأى الموقّع من قبل سجلًا عدد مدخلاته { $before }، والآن { $seen } فقط: ما يراه الموقّع لا يعود إلى الوراء أبدًا
refusal-name_by_number = هذا المؤتمر (الإصدار ١) يسمّي { $kind ->
    [motion] المقترح
    [amendment] التعديل
   *[vote] التصويت
} برقمه
refusal-name_by_reference = سمِّ { $kind ->
    [motion] المقترح
    [amendment] التعديل
   *[vote] التصويت
} بمرجع (بصمة) المدخل الذي أنشأه، لا برقمه
refusal-wrong_reference = المدخل { $reference } أنشأ { $created ->
    [motion] مقترحًا
    [amendment] تعديلًا
   *[vote] تصويتًا
}، لا { $kind ->
    [motion] مقترحًا
    [amendment] تعديلًا
   *[vote] تصويتًا
}
refusal-no_such_reference = لا يوجد مدخل مرجعه { $reference } أنشأ { $kind ->
    [motion] مقترحًا
    [amendment] تعديلًا
   *[vote] تصويتًا
}
refusal-no_source = اذكر مصدر بيانات المناطق المحلية (source)
refusal-no_localities = استورد المناطق المحلية أولًا
refusal-not_latest_localities = وزّع المقاعد على أحدث إصدار من المناطق المحلية (الإصدار { $version })
refusal-delegates_credentialed = سبق اعتماد مندوبين بموجب توزيع المقاعد الحالي
refusal-apportionment_differs = توزيع المقاعد لا يطابق طريقة { $method } على هذه المناطق المحلية: إنها تعطي { $seats }
refusal-key_in_use = هذا المفتاح هو أصلًا مفتاح الرئيس أو أمين السر أو أحد الأعضاء
refusal-no_name = يحتاج العضو إلى اسم
refusal-head_outside_conference = رؤساء الوفود يجلسون في مؤتمر للدول، لا في مؤتمر تأسيسي
refusal-no_apportionment = وزّع المقاعد أولًا
refusal-no_such_locality = لا توجد منطقة محلية باسم «{ $locality }»
refusal-seats_taken = { $seats ->
    [zero] ليس لـ{ $locality } أي مقعد
    [one] لـ{ $locality } مقعد واحد، وهو مشغول
    [two] لـ{ $locality } مقعدان، وكلاهما مشغول
    [few] لـ{ $locality } { $seats } مقاعد، كلها مشغولة
   *[other] لـ{ $locality } { $seats } مقعدًا، كلها مشغولة
}
refusal-conference_no_event = يضم مؤتمر الدول وفدًا واحدًا لكل دولة كما يسمّيها ميثاقه: لا حدث { $kind } فيه
refusal-not_a_state = «{ $locality }» ليست من دول المؤتمر: { $states }
refusal-head_taken = لـ{ $locality } رئيس وفد بالفعل
refusal-observer_for_state = يُعتمد المراقب باسم المنظمة التي يراقب لها، وهي ليست دولة
refusal-milestone_needs_version = المرحلة المحددة بالأشهر أو التالية لمرحلة أخرى تحتاج إلى الإصدار { $version } من المؤتمر
refusal-not_a_milestone = المادة رقم { $article } ليست مرحلة: المرحلة تلي الإقرار أو مرحلة أخرى
refusal-no_such_article = لا توجد بعد مادة رقم { $article }: اعتمد أولًا المرحلة التي تليها هذه المرحلة
refusal-empty_agenda = يحتاج جدول الأعمال إلى بنود، لا يكون أي منها فارغًا
refusal-last_item = هذا هو البند الأخير في جدول الأعمال
refusal-already_listed = أنت مدرج بالفعل في قائمة المتحدثين
refusal-not_listed = هذا المندوب ليس في قائمة المتحدثين
refusal-no_such_delegate = لا يوجد مندوب كهذا
refusal-time_left = بقي لوفد { $region } من الوقت على هذا البند ما عدده { $left } من الثواني؛ أعطِ ما بين ١ و{ $left }
refusal-no_title = يحتاج المقترح إلى عنوان
refusal-empty_text = نص المقترح فارغ
refusal-power_names = تحتاج كل صلاحية في الجدول إلى اسم، مرة واحدة
refusal-milestone_region = إقليم المرحلة «{ $region }» ليس من أقاليم المناطق المحلية
refusal-milestone_shape = تحتاج المرحلة إلى حدث، وإلى ما لا يزيد على ١٠٠ سنة و١٢٠٠ شهر بعد حدثها
refusal-motion_closed = المقترح رقم { $motion } لم يعد مفتوحًا
refusal-not_amendable = لا تُعدَّل سطرًا سطرًا إلا مقترحات النص وتقاسم الإيرادات؛ قدّم مقترحًا بديلًا بدلًا من ذلك
refusal-translate_closed = المقترح رقم { $motion } لم يُعتمد وقد أُغلق؛ فلا يُترجم
refusal-not_a_language_tag = «{ $lang }» ليس رمز لغة مثل ar أو ckb أو ar-IQ
refusal-translate_version = نص المقترح رقم { $motion } في إصداره رقم { $current }؛ ترجم ذلك الإصدار (هذه ترجمة للإصدار رقم { $version })
refusal-translation_empty = تحتاج الترجمة إلى عنوان ونص
refusal-conference_secret = وفود مؤتمر الدول تصوّت علنًا: فهو لا يدعو إلى استفتاء
refusal-secret_equal_yes_no = التصويت السري تصويت بنعم أو لا، يتساوى فيه وزن كل المندوبين
refusal-secret_concurrent = الأغلبية المتزامنة تحتاج إلى أعداد كل إقليم على حدة، لكن التصويت السري يدمج الأقاليم التي تقل بطاقاتها عن { $min } (min_region_ballots في الميثاق): أجرِ هذا التصويت بالاقتراع العلني
refusal-bad_referendum_id = معرّف الاستفتاء من ١ إلى ٤٠ حرفًا من a-z و0-9 و-
refusal-referendum_in_use = الاستفتاء { $referendum } مستخدم بالفعل
refusal-vote_closed = التصويت رقم { $vote } مغلق
refusal-vote_secret = التصويت رقم { $vote } سري: أدلِ ببطاقتك في الاستفتاء { $referendum }
refusal-credentialed_after = اعتُمدت بعد فتح هذا التصويت
refusal-already_voted = سبق أن صوّتَّ في التصويت رقم { $vote }
refusal-send_ranking = هذا تصويت بالترتيب: أرسل ترتيبًا، لا اختيارًا
refusal-consensus_objection_only = التصويت رقم { $vote } بالتوافق: يُعتمد ما لم يعترض أحد، فلا يُرسل فيه إلا اعتراض (لا)؛ لا ترسل شيئًا لتدعه يمر
refusal-send_choice = هذا تصويت بنعم أو لا: أرسل اختيارًا (نعم أو لا أو امتناع)
refusal-no_objection = ليس لك اعتراض قائم في التصويت رقم { $vote }
refusal-close_secret = التصويت رقم { $vote } سري: أغلقه بـclose_secret_vote مع أعداد استفتائه
refusal-close_named = التصويت رقم { $vote } ليس سريًا: أغلقه بـclose_vote
refusal-merges_no_regions = هذا الميثاق لا يدمج أي إقليم (min_region_ballots يساوي 0)
refusal-too_many_ballots = عدد المندوبين في مناصبهم في { $scope } هو { $seats }، لا { $cast } بطاقة
refusal-conference_ratify = مؤتمر الدول يصدر بيانًا ختاميًا؛ ولا يسلّم شيئًا إلى استفتاء
refusal-no_article = لم تُعتمد أي مادة بعد
refusal-vote_open = التصويت رقم { $vote } ما زال مفتوحًا
refusal-no_question = يحتاج الاستفتاء إلى سؤاله
refusal-registrar_without_trustees = لا يُسمّى أمين سجل أو مُصدر رموز إلا مع أمناء مسمَّين
refusal-trustees_without_registrar = مع الأمناء المسمَّين، سمِّ أمين سجل الاستفتاء أيضًا
refusal-issuer_key_is_registrars = يحتاج مُصدر الرموز إلى مفتاح خاص به، لا مفتاح أمين السجل
refusal-constitution_untitled = الدستور بلغة «{ $lang }»: أعطِ العنوان والسؤال بلغة «{ $lang }» أيضًا (translations)
refusal-constitution_empty = الدستور بلغة «{ $lang }»: النص فارغ
refusal-trustees_named = عدد الأمناء المسمَّين { $named }، والعدد n هو { $n }
refusal-not_a_trustee = { $name } ({ $key }) ليس من أمناء الميثاق
refusal-trustee_twice = سُمّي { $name } مرتين
refusal-motion_in_vote = يوجد تصويت مفتوح يخص المقترح رقم { $motion }
refusal-amendment_decided = سبق البت في التعديل رقم { $amendment }
refusal-amendment_stale = لم يعد التعديل رقم { $amendment } ينطبق على المقترح بعد تعديله: { $detail }
refusal-ranked_two = يحتاج التصويت بالترتيب إلى مقترحين مختلفين أو أكثر
refusal-ranked_many = لا يزيد عدد المقترحات في التصويت بالترتيب على { $most }
refusal-rule_needs_version = الإجماع والتوافق قاعدتان من الإصدار { $version } من المؤتمر
refusal-ranked_unanimity = التصويت بالترتيب يُحسب بطريقة شولتز؛ ولا إجماع فيه ولا توافق
refusal-unanimity_shape = الإجماع والتوافق يحسبان الأعضاء الحاضرين، بالتساوي، بلا أغلبية متزامنة
refusal-consensus_secret = الاعتراض يكون علنًا: التصويت بالتوافق ليس سريًا
refusal-no_head = لم يُعتمد أي رئيس وفد بعد
refusal-no_delegate = لم يُعتمد أي مندوب بعد
refusal-result_differs = النتيجة لا تطابق الأصوات بموجب القاعدة: النتيجة الصحيحة { $result }
refusal-winner_not_an_option = الفائز ليس من الخيارات
refusal-no_such_motion = لا يوجد مقترح رقم { $motion }
refusal-no_such_amendment = لا يوجد تعديل رقم { $amendment }
refusal-no_such_vote = لا يوجد تصويت رقم { $vote }

# ما فعله حدث مقبول (جواب الخادم والتحديثات الحية).

event-localities = الإصدار رقم { $version } من المناطق المحلية: عددها { $count }، والمصدر { $source }
event-apportionment = وُزّعت المقاعد (عددها { $seats }) بطريقة { $method }
event-credential = اعتُمد { $name } عن { $locality }
event-credential_head = اعتُمد { $name } رئيسًا لوفد { $locality }
event-credential_delegation = اعتُمد { $name } في وفد { $locality }
event-credential_observer = اعتُمد { $name } مراقبًا عن { $locality }
event-agenda = جدول أعمال عدد بنوده { $count }
event-next_item = البند رقم { $item } من جدول الأعمال: { $title }
event-floor_request = يطلب { $name } الكلمة
event-floor = الكلمة لـ{ $name } مدة { $seconds } ث
event-motion = المقترح رقم { $motion }: { $title }
event-amendment = التعديل رقم { $amendment } على المقترح رقم { $motion }
event-translation = تُرجم المقترح رقم { $motion } إلى { $lang }
event-open_vote = فُتح التصويت رقم { $vote } على المقترح رقم { $motion }
event-open_vote_amendment = فُتح التصويت رقم { $vote } على التعديل رقم { $amendment }
event-open_vote_ranked = فُتح التصويت رقم { $vote } بالترتيب بين المقترحات { $motions }
event-vote = صوّت { $name } في التصويت رقم { $vote }
event-objection = يعترض { $name } في التصويت رقم { $vote }
event-withdraw_objection = يسحب { $name } اعتراضه في التصويت رقم { $vote }
event-close_amendment = أُغلق التصويت رقم { $vote }: التعديل رقم { $amendment } { $verdict ->
        [adopted] اعتُمد
       *[rejected] رُفض
    } ({ $how ->
        [secret] نعم { $yes }، لا { $no }، امتناع { $abstain }، بالاقتراع السري في الاستفتاء { $referendum }
        [consensus] بالتوافق، دون اعتراض
        [consensus_withdrawn_one] بالتوافق، بعد سحب اعتراضه الوحيد
        [consensus_withdrawn] بالتوافق، بعد سحب اعتراضاته وعددها { $withdrawn }
        [standing] اعتراضات قائمة عددها { $standing }
       *[counted] نعم { $yes }، لا { $no }، امتناع { $abstain }
    })
event-close_motion = أُغلق التصويت رقم { $vote }: المقترح رقم { $motion } { $verdict ->
        [adopted] اعتُمد
       *[rejected] رُفض
    } ({ $how ->
        [secret] نعم { $yes }، لا { $no }، امتناع { $abstain }، بالاقتراع السري في الاستفتاء { $referendum }
        [consensus] بالتوافق، دون اعتراض
        [consensus_withdrawn_one] بالتوافق، بعد سحب اعتراضه الوحيد
        [consensus_withdrawn] بالتوافق، بعد سحب اعتراضاته وعددها { $withdrawn }
        [standing] اعتراضات قائمة عددها { $standing }
       *[counted] نعم { $yes }، لا { $no }، امتناع { $abstain }
    })
event-close_ranked = أُغلق التصويت رقم { $vote }: اختير المقترح رقم { $motion }
event-close_no_winner = أُغلق التصويت رقم { $vote }: لا فائز واحد، ولم يُعتمد شيء
event-ratify = يُعرض الدستور على الاستفتاء { $referendum }

# تاريخ المادة سطرًا سطرًا (للصفحات فقط: النص الإنجليزي هو ما في constitution.json).

history-moved = قدّم { $proposer } المقترح رقم { $motion } (مدخل السجل رقم { $entry })
history-amended = اعتُمد التعديل رقم { $amendment } المقدَّم من { $proposer } في التصويت رقم { $vote } ({ $how ->
        [secret] نعم { $yes }، لا { $no }، امتناع { $abstain }، بالاقتراع السري في الاستفتاء { $referendum }
        [consensus] بالتوافق، دون اعتراض
        [consensus_withdrawn_one] بالتوافق، بعد سحب اعتراضه الوحيد
        [consensus_withdrawn] بالتوافق، بعد سحب اعتراضاته وعددها { $withdrawn }
        [standing] اعتراضات قائمة عددها { $standing }
       *[counted] نعم { $yes }، لا { $no }، امتناع { $abstain }
    }؛ مدخل السجل رقم { $entry })
history-adopted = اعتُمد في التصويت رقم { $vote } ({ $how ->
        [secret] نعم { $yes }، لا { $no }، امتناع { $abstain }، بالاقتراع السري في الاستفتاء { $referendum }
        [consensus] بالتوافق، دون اعتراض
        [consensus_withdrawn_one] بالتوافق، بعد سحب اعتراضه الوحيد
        [consensus_withdrawn] بالتوافق، بعد سحب اعتراضاته وعددها { $withdrawn }
        [standing] اعتراضات قائمة عددها { $standing }
       *[counted] نعم { $yes }، لا { $no }، امتناع { $abstain }
    }؛ مدخل السجل رقم { $entry }): { $paragraph ->
        [yes] الفقرة
       *[no] المادة
    } { $article }
history-chosen = اختير في التصويت بالترتيب رقم { $vote } (شولتز؛ مدخل السجل رقم { $entry }): { $paragraph ->
        [yes] الفقرة
       *[no] المادة
    } { $article }
history-not_chosen = لم يُختر في التصويت بالترتيب رقم { $vote } (مدخل السجل رقم { $entry })

# شروط التصويت، مع بيان تحقق كل منها (مشتقة، لا تُقارن ولا تُوقَّع).

condition-quorum = النصاب: الحاضرون { $present } من الأعضاء في مناصبهم وعددهم { $in_office }، والمطلوب { $needed } على الأقل
condition-majority = { $scope ->
        [assembly] الجمعية
       *[delegation] وفد { $region }
    }: نعم { $yes }، لا { $no }، { $base_kind ->
        [present] الحاضرون
       *[in_office] الأعضاء في مناصبهم
    } { $base }؛ المطلوب { $bar ->
        [simple] أن تزيد نعم على لا
        [half] أكثر من نصف الأعضاء { $base_kind ->
            [present] الحاضرين
           *[in_office] في مناصبهم
        }
        [share] { $share } على الأقل من الأعضاء { $base_kind ->
            [present] الحاضرين
           *[in_office] في مناصبهم
        }
       *[unanimity] ألا يعارض أحد وأن يوافق أحد (الامتناع لا يمنع)
    }
condition-objections = { $scope ->
        [assembly] الجمعية
       *[delegation] وفد { $region }
    }: الاعتراضات القائمة عددها { $standing }؛ والمطلوب ألا يبقى اعتراض
condition-objection = اعتراض من { $name } باسم { $state } (مدخل السجل رقم { $entry })، { $status ->
        [withdrawn] سُحب (مدخل السجل رقم { $at })
       *[standing] قائم
    }
condition-ranked_count = رتّب الخيارات { $ranked } من المندوبين، من أصل { $in_office }
condition-schulze_winner = الفائز بطريقة شولتز: المقترح رقم { $motion }
condition-schulze_tie = شولتز: تعادل بين المقترحات { $motions }، فلا يُعتمد شيء
condition-schulze_none = شولتز: لا فائز واحد
condition-runoff_tie = الجولة رقم { $round } من الجولات الفورية: تعادل على المركز الأخير بين المقترحات { $motions }{ $decisive ->
        [yes] ، وهو تعادل يحسم الفائز
       *[no] ؛ والفائز واحد أيًّا كان المستبعد
    }
condition-runoff_winner = الجولات الفورية (للمقارنة): المقترح رقم { $motion }
condition-runoff_possible = الجولات الفورية (للمقارنة): لا فائز واحد؛ قد يفوز أي من المقترحات { $motions }
condition-runoff_none = الجولات الفورية (للمقارنة): لا فائز واحد

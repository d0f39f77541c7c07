# هۆکارەکانی ڕەتکردنەوەی ڕووداوێک لەلایەن دۆخی کۆنگرەوە، بەپێی کۆدی جێگیری ڕەتکردنەوەکە
# (docs/convention.md §4.1). ئەندازیاران نووسیویانە و پێویستی بە پێداچوونەوەی قسەکەرێکی
# زگماکی هەیە (docs/translating.md).

refusal-invalid = { $detail }
refusal-log_closed = کۆنگرەکە دەستوورەکەی ڕادەستی ڕاپرسی کردووە؛ تۆمارەکە داخراوە
refusal-only_chair = تەنها سەرۆک دەتوانێت ئەمە بکات
refusal-only_secretary = تەنها سکرتێر دەتوانێت ئەمە بکات
refusal-only_delegate = تەنها نوێنەرێکی پەسەندکراو دەتوانێت ئەمە بکات
refusal-observer = چاودێران ناتوانن پێشنیار بکەن، هەموار بکەن، قسە بکەن یان دەنگ بدەن
refusal-head_votes = لە کۆنگرەی وڵاتاندا هەر وڵاتێک لە ڕێگەی سەرۆکی شاندەکەیەوە دەنگ دەدات
refusal-wrong_family = ڕووداوی { $kind } لەگەڵ کۆمەڵە ڕووداوێکی هەڵە پشکنرا
refusal-out_of_sequence = ئەمە ڕووداوی ژمارە { $n }ی واژۆکەرە، بەڵام ژمارەی داهاتووی { $next }ە
refusal-seen_ahead = واژۆکەر تۆمارێکی بە { $seen } بڕگە بینیوە، بەڵام ئەمە بڕگەی ژمارە { $entry }ە: بۆ پێش ئەوەی واژۆکەرەکەی بینیویەتی گوازراوەتەوە
refusal-seen_other_log = ئەو تۆمارەی واژۆکەرەکەی بینیویەتی (بە { $seen } بڕگە) یەکەم { $seen } بڕگەی ئەم تۆمارە نییە
refusal-seen_back = واژۆکەر پێشتر تۆمارێکی بە { $before } بڕگە بینیبوو، و ئێستا تەنها { $seen }: بینینی واژۆکەر هەرگیز ناگەڕێتەوە دواوە
refusal-name_by_number = ئەم کۆنگرەیە (وەشانی ١) { $kind ->
    [motion] پێشنیار
    [amendment] هەموارکردن
   *[vote] دەنگدان
} بە ژمارەکەی ناو دەبات
refusal-name_by_reference = { $kind ->
    [motion] پێشنیارەکە
    [amendment] هەموارکردنەکە
   *[vote] دەنگدانەکە
} بە ئاماژەی (هاشی) ئەو بڕگەیە ناو ببە کە دروستی کردووە، نەک بە ژمارەکەی
refusal-wrong_reference = بڕگەی { $reference } { $created ->
    [motion] پێشنیارێکی
    [amendment] هەموارکردنێکی
   *[vote] دەنگدانێکی
} دروست کردووە، نەک { $kind ->
    [motion] پێشنیارێک
    [amendment] هەموارکردنێک
   *[vote] دەنگدانێک
}
refusal-no_such_reference = هیچ بڕگەیەک بە ئاماژەی { $reference } { $kind ->
    [motion] پێشنیارێکی
    [amendment] هەموارکردنێکی
   *[vote] دەنگدانێکی
} دروست نەکردووە
refusal-no_source = بڵێ ناوچەکان لە کوێوە هاتوون (source)
refusal-no_localities = سەرەتا ناوچەکان هاوردە بکە
refusal-not_latest_localities = کورسییەکان بەسەر نوێترین وەشانی ناوچەکاندا دابەش بکە (وەشانی { $version })
refusal-delegates_credentialed = پێشتر نوێنەران بەپێی دابەشکردنی ئێستای کورسییەکان پەسەند کراون
refusal-apportionment_differs = دابەشکردنی کورسییەکان لەگەڵ { $method } لەسەر ئەم ناوچانە ناگونجێت: ئەو ئەنجامە دەدات { $seats }
refusal-key_in_use = ئەم کلیلە پێشتر هی سەرۆک، سکرتێر یان ئەندامێکە
refusal-no_name = ئەندام پێویستی بە ناوە
refusal-head_outside_conference = سەرۆکی شاندەکان لە کۆنگرەی وڵاتاندا دادەنیشن، نەک لە کۆنگرەی دامەزراندن
refusal-no_apportionment = سەرەتا کورسییەکان دابەش بکە
refusal-no_such_locality = هیچ ناوچەیەک بە ناوی «{ $locality }» نییە
refusal-seats_taken = { $seats ->
    [one] { $locality } یەک کورسی هەیە، و گیراوە
   *[other] { $locality } { $seats } کورسی هەیە، هەموویان گیراون
}
refusal-conference_no_event = کۆنگرەی وڵاتان بۆ هەر وڵاتێک یەک شاند دادەنێت، وەک پەیماننامەکەی ناویان دەبات: ڕووداوی { $kind }ی تێدا نییە
refusal-not_a_state = «{ $locality }» یەکێک نییە لە وڵاتانی کۆنگرەکە: { $states }
refusal-head_taken = { $locality } پێشتر سەرۆکی شاندی هەیە
refusal-observer_for_state = چاودێر بۆ ئەو ڕێکخراوەیە پەسەند دەکرێت کە چاودێری بۆ دەکات، و ئەوە وڵات نییە
refusal-milestone_needs_version = قۆناغێک بە مانگ یان دوای قۆناغێکی تر پێویستی بە وەشانی { $version }ی کۆنگرە هەیە
refusal-not_a_milestone = ماددەی { $article } قۆناغ نییە: قۆناغ دوای پەسەندکردن یان قۆناغێکی تر دێت
refusal-no_such_article = هێشتا ماددەی { $article } نییە: سەرەتا ئەو قۆناغە پەسەند بکە کە ئەم قۆناغە دوای دێت
refusal-empty_agenda = بەرنامەی کار پێویستی بە خاڵ هەیە، هیچیان بەتاڵ نەبێت
refusal-last_item = ئەمە دوا خاڵی بەرنامەی کارە
refusal-already_listed = تۆ پێشتر لە لیستی قسەکەرانداییت
refusal-not_listed = ئەو نوێنەرە لە لیستی قسەکەراندا نییە
refusal-no_such_delegate = نوێنەرێکی وا نییە
refusal-time_left = شاندی { $region } { $left } چرکەی ماوە لەسەر ئەم خاڵە؛ لە نێوان ١ و { $left } بدە
refusal-no_title = پێشنیار پێویستی بە ناونیشان هەیە
refusal-empty_text = دەقی پێشنیارەکە بەتاڵە
refusal-power_names = هەر دەسەڵاتێک لە خشتەکەدا پێویستی بە ناوێکە، یەک جار
refusal-milestone_region = هەرێمی قۆناغەکە «{ $region }» یەکێک نییە لە هەرێمەکانی ناوچەکان
refusal-milestone_shape = قۆناغ پێویستی بە ڕووداوێکە، و لە ١٠٠ ساڵ و ١٢٠٠ مانگ زیاتر نەبێت دوای ڕووداوەکەی
refusal-motion_closed = پێشنیاری ژمارە { $motion } چیتر کراوە نییە
refusal-not_amendable = تەنها پێشنیاری دەق و داهات دێڕ بە دێڕ هەموار دەکرێن؛ لەجیاتی ئەوە پێشنیارێکی جێگرەوە پێشکەش بکە
refusal-translate_closed = پێشنیاری ژمارە { $motion } پەسەند نەکرا و داخراوە؛ وەرناگێڕدرێت
refusal-not_a_language_tag = «{ $lang }» کۆدی زمان نییە وەک ar، ckb یان ar-IQ
refusal-translate_version = دەقی پێشنیاری ژمارە { $motion } لە وەشانی { $current }دایە؛ ئەو وەشانە وەربگێڕە (ئەمە وەشانی { $version } وەردەگێڕێت)
refusal-translation_empty = وەرگێڕان پێویستی بە ناونیشان و دەقە
refusal-conference_secret = شاندەکانی کۆنگرەی وڵاتان بە ئاشکرا دەنگ دەدەن: هیچ ڕاپرسییەک بانگ ناکات
refusal-secret_equal_yes_no = دەنگدانی نهێنی دەنگدانی بەڵێ/نەخێرە کە هەموو نوێنەران تێیدا یەکسانن
refusal-secret_concurrent = زۆرینەی هاوکات پێویستی بە ژمارەکانی هەر هەرێمێک بە جیا هەیە، بەڵام دەنگدانی نهێنی ئەو هەرێمانە تێکەڵ دەکات کە کەمتر لە { $min } دەنگیان هەیە (min_region_ballotsی پەیماننامە): ئەم دەنگدانە بە دەنگدانی ئاشکرا ئەنجام بدە
refusal-bad_referendum_id = ناسنامەی ڕاپرسی لە ١ تا ٤٠ پیتە لە a-z، 0-9 و -
refusal-referendum_in_use = ڕاپرسی { $referendum } پێشتر بەکارهاتووە
refusal-vote_closed = دەنگدانی ژمارە { $vote } داخراوە
refusal-vote_secret = دەنگدانی ژمارە { $vote } نهێنییە: دەنگەکەت لە ڕاپرسی { $referendum } بدە
refusal-credentialed_after = تۆ دوای کردنەوەی ئەم دەنگدانە پەسەند کرایت
refusal-already_voted = پێشتر لە دەنگدانی ژمارە { $vote } دەنگت داوە
refusal-send_ranking = ئەمە دەنگدانی ڕیزبەندییە: ڕیزبەندییەک بنێرە، نەک هەڵبژاردنێک
refusal-consensus_objection_only = دەنگدانی ژمارە { $vote } بە ڕێککەوتنە: پەسەند دەکرێت مەگەر کەسێک نارەزایی دەربڕێت، بۆیە تەنها نارەزایی (نەخێر) دەنێردرێت؛ هیچ مەنێرە بۆ ئەوەی تێپەڕێت
refusal-send_choice = ئەمە دەنگدانی بەڵێ/نەخێرە: هەڵبژاردنێک بنێرە (بەڵێ، نەخێر یان بێلایەن)
refusal-no_objection = هیچ نارەزاییەکی ماوەت لە دەنگدانی ژمارە { $vote } نییە
refusal-close_secret = دەنگدانی ژمارە { $vote } نهێنییە: بە close_secret_vote و ژمارەکانی ڕاپرسییەکەی دایبخە
refusal-close_named = دەنگدانی ژمارە { $vote } نهێنی نییە: بە close_vote دایبخە
refusal-merges_no_regions = ئەم پەیماننامەیە هیچ هەرێمێک تێکەڵ ناکات (min_region_ballots سفرە)
refusal-too_many_ballots = { $scope } { $seats } نوێنەری لە پۆستدا هەیە، نەک { $cast } دەنگ
refusal-conference_ratify = کۆنگرەی وڵاتان ڕاگەیەندراوێک دەردەکات؛ هیچ شتێک ڕادەستی ڕاپرسی ناکات
refusal-no_article = هێشتا هیچ ماددەیەک پەسەند نەکراوە
refusal-vote_open = دەنگدانی ژمارە { $vote } هێشتا کراوەیە
refusal-no_question = ڕاپرسی پێویستی بە پرسیارەکەیەتی
refusal-registrar_without_trustees = تۆمارکار یان دەرکەری کۆد تەنها لەگەڵ ئەمینداری ناوبراو ناو دەبرێت
refusal-trustees_without_registrar = لەگەڵ ئەمیندارانی ناوبراو، تۆمارکاری ڕاپرسییەکەش ناو ببە
refusal-issuer_key_is_registrars = دەرکەری کۆد پێویستی بە کلیلی تایبەتی خۆیەتی، نەک هی تۆمارکار
refusal-constitution_untitled = دەستوور بە «{ $lang }»: ناونیشان و پرسیارەکەش بە «{ $lang }» بدە (translations)
refusal-constitution_empty = دەستوور بە «{ $lang }»: دەقەکە بەتاڵە
refusal-trustees_named = { $named } ئەمیندار ناوبراون؛ n { $n }ە
refusal-not_a_trustee = { $name } ({ $key }) یەکێک نییە لە ئەمیندارانی پەیماننامەکە
refusal-trustee_twice = { $name } دوو جار ناوبراوە
refusal-motion_in_vote = دەنگدانێک کە پێشنیاری ژمارە { $motion } دەگرێتەوە پێشتر کراوەیە
refusal-amendment_decided = پێشتر بڕیار لەسەر هەموارکردنی ژمارە { $amendment } دراوە
refusal-amendment_stale = هەموارکردنی ژمارە { $amendment } چیتر لەگەڵ پێشنیارە هەموارکراوەکە ناگونجێت: { $detail }
refusal-ranked_two = دەنگدانی ڕیزبەندی پێویستی بە دوو پێشنیاری جیاواز یان زیاترە
refusal-ranked_many = دەنگدانی ڕیزبەندی لە نێوان { $most } پێشنیاردایە بەلای زۆرەوە
refusal-rule_needs_version = کۆدەنگی و ڕێککەوتن یاساکانی وەشانی { $version }ی کۆنگرەن
refusal-ranked_unanimity = دەنگدانی ڕیزبەندی بە شێوازی شولتز دەژمێردرێت؛ کۆدەنگی و ڕێککەوتنی تێدا نییە
refusal-unanimity_shape = کۆدەنگی و ڕێککەوتن ئەندامە ئامادەبووەکان دەژمێرن، بە یەکسانی، بێ زۆرینەی هاوکات
refusal-consensus_secret = نارەزایی بە ئاشکرا دەردەبڕدرێت: دەنگدانی ڕێککەوتن نهێنی نییە
refusal-no_head = هێشتا هیچ سەرۆکی شاندێک پەسەند نەکراوە
refusal-no_delegate = هێشتا هیچ نوێنەرێک پەسەند نەکراوە
refusal-result_differs = ئەنجامەکە لەگەڵ دەنگەکان بەپێی یاساکە ناگونجێت: ئەنجامی ڕاست { $result }ە
refusal-winner_not_an_option = براوە یەکێک نییە لە هەڵبژاردەکان
refusal-no_such_motion = پێشنیاری ژمارە { $motion } نییە
refusal-no_such_amendment = هەموارکردنی ژمارە { $amendment } نییە
refusal-no_such_vote = دەنگدانی ژمارە { $vote } نییە

# ئەوەی ڕووداوێکی پەسەندکراو کردی (وەڵامی ڕاژەکار و نوێکردنەوە ڕاستەوخۆکان).

event-localities = وەشانی { $version }ی ناوچەکان: { $count } ناوچە لە { $source }
event-apportionment = { $seats } کورسی بە شێوازی { $method } دابەش کران
event-credential = { $name } بۆ { $locality } پەسەند کرا
event-credential_head = { $name } وەک سەرۆکی شاندی { $locality } پەسەند کرا
event-credential_delegation = { $name } بۆ شاندی { $locality } پەسەند کرا
event-credential_observer = { $name } وەک چاودێر بۆ { $locality } پەسەند کرا
event-agenda = بەرنامەی کار بە { $count } خاڵ
event-next_item = خاڵی { $item }ی بەرنامەی کار: { $title }
event-floor_request = { $name } داوای قسەکردن دەکات
event-floor = { $name } بۆ { $seconds } چرکە قسە دەکات
event-motion = پێشنیاری ژمارە { $motion }: { $title }
event-amendment = هەموارکردنی ژمارە { $amendment } بۆ پێشنیاری ژمارە { $motion }
event-translation = پێشنیاری ژمارە { $motion } وەرگێڕدرا بۆ { $lang }
event-open_vote = دەنگدانی ژمارە { $vote } لەسەر پێشنیاری ژمارە { $motion } کرایەوە
event-open_vote_amendment = دەنگدانی ژمارە { $vote } لەسەر هەموارکردنی ژمارە { $amendment } کرایەوە
event-open_vote_ranked = دەنگدانی ژمارە { $vote } بە ڕیزبەندی لە نێوان پێشنیارەکانی { $motions } کرایەوە
event-vote = { $name } لە دەنگدانی ژمارە { $vote } دەنگی دا
event-objection = { $name } لە دەنگدانی ژمارە { $vote } نارەزایی دەردەبڕێت
event-withdraw_objection = { $name } نارەزاییەکەی لە دەنگدانی ژمارە { $vote } دەکشێنێتەوە
event-close_amendment = دەنگدانی ژمارە { $vote } داخرا: هەموارکردنی ژمارە { $amendment } { $verdict ->
        [adopted] پەسەند کرا
       *[rejected] ڕەت کرایەوە
    } ({ $how ->
        [secret] بەڵێ { $yes }، نەخێر { $no }، بێلایەن { $abstain }، بە دەنگدانی نهێنی لە ڕاپرسی { $referendum }
        [consensus] بە ڕێککەوتن، بێ نارەزایی
        [consensus_withdrawn_one] بە ڕێککەوتن، دوای کشاندنەوەی تاکە نارەزاییەکەی
        [consensus_withdrawn] بە ڕێککەوتن، دوای کشاندنەوەی { $withdrawn } نارەزایی
        [standing] { $standing } نارەزایی ماوە
       *[counted] بەڵێ { $yes }، نەخێر { $no }، بێلایەن { $abstain }
    })
event-close_motion = دەنگدانی ژمارە { $vote } داخرا: پێشنیاری ژمارە { $motion } { $verdict ->
        [adopted] پەسەند کرا
       *[rejected] ڕەت کرایەوە
    } ({ $how ->
        [secret] بەڵێ { $yes }، نەخێر { $no }، بێلایەن { $abstain }، بە دەنگدانی نهێنی لە ڕاپرسی { $referendum }
        [consensus] بە ڕێککەوتن، بێ نارەزایی
        [consensus_withdrawn_one] بە ڕێککەوتن، دوای کشاندنەوەی تاکە نارەزاییەکەی
        [consensus_withdrawn] بە ڕێککەوتن، دوای کشاندنەوەی { $withdrawn } نارەزایی
        [standing] { $standing } نارەزایی ماوە
       *[counted] بەڵێ { $yes }، نەخێر { $no }، بێلایەن { $abstain }
    })
event-close_ranked = دەنگدانی ژمارە { $vote } داخرا: پێشنیاری ژمارە { $motion } هەڵبژێردرا
event-close_no_winner = دەنگدانی ژمارە { $vote } داخرا: یەک براوە نییە، هیچ پەسەند نەکرا
event-ratify = دەستوورەکە دەچێتە ڕاپرسی { $referendum }

# مێژووی ماددەیەک، دێڕ بە دێڕ (تەنها بۆ پەڕەکان: دەقە ئینگلیزییەکە ئەوەیە کە لە constitution.jsonدایە).

history-moved = پێشنیاری ژمارە { $motion } لەلایەن { $proposer }ەوە پێشکەش کرا (بڕگەی تۆماری ژمارە { $entry })
history-amended = هەموارکردنی ژمارە { $amendment }ی { $proposer } لە دەنگدانی ژمارە { $vote } پەسەند کرا ({ $how ->
        [secret] بەڵێ { $yes }، نەخێر { $no }، بێلایەن { $abstain }، بە دەنگدانی نهێنی لە ڕاپرسی { $referendum }
        [consensus] بە ڕێککەوتن، بێ نارەزایی
        [consensus_withdrawn_one] بە ڕێککەوتن، دوای کشاندنەوەی تاکە نارەزاییەکەی
        [consensus_withdrawn] بە ڕێککەوتن، دوای کشاندنەوەی { $withdrawn } نارەزایی
        [standing] { $standing } نارەزایی ماوە
       *[counted] بەڵێ { $yes }، نەخێر { $no }، بێلایەن { $abstain }
    }؛ بڕگەی تۆماری ژمارە { $entry })
history-adopted = لە دەنگدانی ژمارە { $vote } پەسەند کرا ({ $how ->
        [secret] بەڵێ { $yes }، نەخێر { $no }، بێلایەن { $abstain }، بە دەنگدانی نهێنی لە ڕاپرسی { $referendum }
        [consensus] بە ڕێککەوتن، بێ نارەزایی
        [consensus_withdrawn_one] بە ڕێککەوتن، دوای کشاندنەوەی تاکە نارەزاییەکەی
        [consensus_withdrawn] بە ڕێککەوتن، دوای کشاندنەوەی { $withdrawn } نارەزایی
        [standing] { $standing } نارەزایی ماوە
       *[counted] بەڵێ { $yes }، نەخێر { $no }، بێلایەن { $abstain }
    }؛ بڕگەی تۆماری ژمارە { $entry }): { $paragraph ->
        [yes] پەرەگرافی
       *[no] ماددەی
    } { $article }
history-chosen = لە دەنگدانی ڕیزبەندی ژمارە { $vote } هەڵبژێردرا (شولتز؛ بڕگەی تۆماری ژمارە { $entry }): { $paragraph ->
        [yes] پەرەگرافی
       *[no] ماددەی
    } { $article }
history-not_chosen = لە دەنگدانی ڕیزبەندی ژمارە { $vote } هەڵنەبژێردرا (بڕگەی تۆماری ژمارە { $entry })

# مەرجەکانی دەنگدانێک، لەگەڵ ئەوەی ئایا هەر یەکەیان جێبەجێ دەبێت (داڕێژراون، بەراورد ناکرێن و واژۆ ناکرێن).

condition-quorum = ڕێژەی یاسایی: { $present } لە { $in_office } ئەندام ئامادەن، لانیکەم { $needed } پێویستە
condition-majority = { $scope ->
        [assembly] کۆبوونەوە
       *[delegation] شاندی { $region }
    }: بەڵێ { $yes }، نەخێر { $no }، { $base_kind ->
        [present] ئامادەبوو
       *[in_office] لە پۆستدا
    } { $base }؛ پێویستی بە { $bar ->
        [simple] ئەوەیە بەڵێ لە نەخێر زیاتر بێت
        [half] زیاتر لە نیوەی ئەندامانی { $base_kind ->
            [present] ئامادەبوو
           *[in_office] لە پۆستدا
        }
        [share] لانیکەم { $share }ی ئەندامانی { $base_kind ->
            [present] ئامادەبوو
           *[in_office] لە پۆستدا
        }
       *[unanimity] ئەوەیە کەس دژ نەبێت و کەسێک لەگەڵ بێت (بێلایەنی ڕێگر نییە)
    }
condition-objections = { $scope ->
        [assembly] کۆبوونەوە
       *[delegation] شاندی { $region }
    }: { $standing } نارەزایی ماوە؛ پێویستی بە هیچ نارەزاییەک نییە
condition-objection = نارەزایی { $name } بە ناوی { $state } (بڕگەی تۆماری ژمارە { $entry })، { $status ->
        [withdrawn] کشێنرایەوە (بڕگەی تۆماری ژمارە { $at })
       *[standing] ماوە
    }
condition-ranked_count = { $ranked } لە { $in_office } نوێنەر هەڵبژاردەکانیان ڕیزبەند کرد
condition-schulze_winner = براوەی شولتز: پێشنیاری ژمارە { $motion }
condition-schulze_tie = شولتز: یەکسانی لە نێوان پێشنیارەکانی { $motions }، بۆیە هیچ پەسەند ناکرێت
condition-schulze_none = شولتز: یەک براوە نییە
condition-runoff_tie = خولی { $round }ی دەنگدانی یەکلاکەرەوە: یەکسانی لەسەر دوا پلە لە نێوان پێشنیارەکانی { $motions }{ $decisive ->
        [yes] ، کە براوە دیاری دەکات
       *[no] ؛ براوە هەمان شتە هەر کامیان بڕوات
    }
condition-runoff_winner = دەنگدانی یەکلاکەرەوە (بۆ بەراورد): پێشنیاری ژمارە { $motion }
condition-runoff_possible = دەنگدانی یەکلاکەرەوە (بۆ بەراورد): یەک براوە نییە؛ پێشنیارەکانی { $motions } دەتوانن ببنەوە براوە
condition-runoff_none = دەنگدانی یەکلاکەرەوە (بۆ بەراورد): یەک براوە نییە

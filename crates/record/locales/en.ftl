# Why a convention's state refuses an event (docs/convention.md §4.1), by the refusal's stable
# code: the message is `refusal-<code>`, its variables the refusal's arguments. The server sends
# the code and the arguments; the assembly page says them in its language, and Rust's Display
# gives this English. A translator changes the words, never the ids or the variables
# (docs/translating.md).

refusal-invalid = { $detail }
refusal-log_closed = the convention has handed its constitution to ratification; the log is closed
refusal-only_chair = only the chair may do this
refusal-only_secretary = only the secretary may do this
refusal-only_delegate = only a credentialed delegate may do this
refusal-observer = observers may not move, amend, speak or vote
refusal-head_votes = in a conference each state votes through the head of its delegation
refusal-wrong_family = this { $kind } event was checked with the wrong family of events
refusal-out_of_sequence = this is the signer's event n = { $n }, but their next is n = { $next }
refusal-seen_ahead = the signer saw { $seen } entries, but this is entry { $entry }: it was moved before what its signer saw
refusal-seen_other_log = the log its signer saw (size { $seen }) is not this log's first { $seen } entries
refusal-seen_back = the signer saw { $before } entries before, and now only { $seen }: a signer's view never goes back
refusal-name_by_number = this convention (version 1) names a { $kind } by its number
refusal-name_by_reference = name the { $kind } by the reference (hash) of the entry that created it, not by its number
refusal-wrong_reference = entry { $reference } created a { $created }, not a { $kind }
refusal-no_such_reference = no entry with reference { $reference } created a { $kind }
refusal-no_source = say where the localities come from (source)
refusal-no_localities = import the localities first
refusal-not_latest_localities = apportion the latest localities (version { $version })
refusal-delegates_credentialed = delegates are already credentialed under the current apportionment
refusal-apportionment_differs = the apportionment does not match { $method } on these localities: it gives { $seats }
refusal-key_in_use = this key is already the chair's, the secretary's or a member's
refusal-no_name = a member needs a name
refusal-head_outside_conference = heads of delegation sit in a conference of states, not in a convention
refusal-no_apportionment = apportion the seats first
refusal-no_such_locality = there is no locality “{ $locality }”
refusal-seats_taken = { $locality } has { $seats ->
    [one] one seat, taken
   *[other] { $seats } seats, all taken
}
refusal-conference_no_event = a conference seats one delegation per state, as its charter names them: it has no { $kind } event
refusal-not_a_state = “{ $locality }” is not one of the conference's states: { $states }
refusal-head_taken = { $locality } already has a head of delegation
refusal-observer_for_state = an observer is credentialed for the organisation they observe for, which is not a state
refusal-milestone_needs_version = a milestone in months or after another milestone needs convention version { $version }
refusal-not_a_milestone = article { $article } is not a milestone: a milestone follows ratification or another milestone
refusal-no_such_article = there is no article { $article } yet: adopt the milestone this one follows first
refusal-empty_agenda = the agenda needs items, none empty
refusal-last_item = this is the agenda's last item
refusal-already_listed = you are already on the list of speakers
refusal-not_listed = that delegate is not on the list of speakers
refusal-no_such_delegate = no such delegate
refusal-time_left = the delegation of { $region } has { $left } seconds left on this item; give between 1 and { $left }
refusal-no_title = a motion needs a title
refusal-empty_text = the motion's text is empty
refusal-power_names = every power in the matrix needs a name, once
refusal-milestone_region = the milestone's region “{ $region }” is not a region of the localities
refusal-milestone_shape = a milestone needs an event and at most 100 years and 1200 months after its event
refusal-motion_closed = motion { $motion } is no longer open
refusal-not_amendable = only text and revenue motions are amended line by line; move an alternative motion instead
refusal-translate_closed = motion { $motion } was not adopted and is closed; it is not translated
refusal-not_a_language_tag = “{ $lang }” is not a language tag such as ar, ckb or ar-IQ
refusal-translate_version = motion { $motion }'s text is at version { $current }; translate that one (this translates version { $version })
refusal-translation_empty = a translation needs a title and a text
refusal-conference_secret = a conference's delegations vote in the open: it calls no referendum
refusal-secret_equal_yes_no = a secret vote is a yes/no vote weighing every delegate equally
refusal-secret_concurrent = a concurrent majority needs every region's own counts, but a secret vote merges the regions with fewer than { $min } ballots (the charter's min_region_ballots): take this vote by named ballot
refusal-bad_referendum_id = the referendum id must be 1 to 40 characters of a-z, 0-9 and -
refusal-referendum_in_use = referendum { $referendum } is already in use
refusal-vote_closed = vote { $vote } is closed
refusal-vote_secret = vote { $vote } is secret: cast your ballot in referendum { $referendum }
refusal-credentialed_after = you were credentialed after this vote opened
refusal-already_voted = you have already voted in vote { $vote }
refusal-send_ranking = this is a ranked vote: send a ranking, not a choice
refusal-consensus_objection_only = vote { $vote } is by consensus: it is adopted unless someone objects, so the only thing to send is an objection (no); say nothing to let it pass
refusal-send_choice = this is a yes/no vote: send a choice (yes, no or abstain)
refusal-no_objection = you have no objection standing in vote { $vote }
refusal-close_secret = vote { $vote } is secret: close it with close_secret_vote and its referendum's counts
refusal-close_named = vote { $vote } is not secret: close it with close_vote
refusal-merges_no_regions = this charter merges no regions (min_region_ballots is 0)
refusal-too_many_ballots = { $scope } has { $seats } delegates in office, not { $cast } ballots
refusal-conference_ratify = a conference issues a communiqué; it hands nothing to a referendum
refusal-no_article = no article has been adopted yet
refusal-vote_open = vote { $vote } is still open
refusal-no_question = the referendum needs its question
refusal-registrar_without_trustees = a registrar or code issuer is named only with named trustees
refusal-trustees_without_registrar = with named trustees, name the referendum's registrar too
refusal-issuer_key_is_registrars = the code issuer needs a key of its own, not the registrar's
refusal-constitution_untitled = constitutions “{ $lang }”: give the title and question in “{ $lang }” too (translations)
refusal-constitution_empty = constitutions “{ $lang }”: the text is empty
refusal-trustees_named = { $named } trustees are named; n is { $n }
refusal-not_a_trustee = { $name } ({ $key }) is not among the charter's trustees
refusal-trustee_twice = { $name } is named twice
refusal-motion_in_vote = a vote touching motion { $motion } is already open
refusal-amendment_decided = amendment { $amendment } has already been decided
refusal-amendment_stale = amendment { $amendment } no longer applies to the motion as amended: { $detail }
refusal-ranked_two = a ranked vote needs two or more different motions
refusal-ranked_many = a ranked vote is among at most { $most } motions
refusal-rule_needs_version = unanimity and consensus are rules of convention version { $version }
refusal-ranked_unanimity = a ranked vote is counted by Schulze; it has no unanimity or consensus
refusal-unanimity_shape = unanimity and consensus count the members present, equally, with no concurrent majority
refusal-consensus_secret = an objection is made in the open: a consensus vote is not secret
refusal-no_head = no head of delegation is credentialed yet
refusal-no_delegate = no delegate is credentialed yet
refusal-result_differs = the result does not match the votes under the rule: it is { $result }
refusal-winner_not_an_option = the winner is not one of the options
refusal-no_such_motion = there is no motion { $motion }
refusal-no_such_amendment = there is no amendment { $amendment }
refusal-no_such_vote = there is no vote { $vote }

# What an accepted event did (the server's answer and live updates), by its message id.

event-localities = localities version { $version }: { $count } localities from { $source }
event-apportionment = { $seats } seats apportioned by { $method }
event-credential = { $name } credentialed for { $locality }
event-credential_head = { $name } credentialed as head of the delegation of { $locality }
event-credential_delegation = { $name } credentialed to the delegation of { $locality }
event-credential_observer = { $name } credentialed as an observer for { $locality }
event-agenda = agenda of { $count } items
event-next_item = agenda item { $item }: { $title }
event-floor_request = { $name } asks for the floor
event-floor = { $name } has the floor for { $seconds } s
event-motion = motion { $motion }: { $title }
event-amendment = amendment { $amendment } to motion { $motion }
event-translation = motion { $motion } translated into { $lang }
event-open_vote = vote { $vote } opened on motion { $motion }
event-open_vote_amendment = vote { $vote } opened on amendment { $amendment }
event-open_vote_ranked = vote { $vote } opened on a ranked choice among motions { $motions }
event-vote = { $name } voted in vote { $vote }
event-objection = { $name } objects in vote { $vote }
event-withdraw_objection = { $name } withdraws their objection in vote { $vote }
event-close_amendment = vote { $vote } closed: amendment { $amendment } { $verdict ->
        [adopted] adopted
       *[rejected] rejected
    } ({ $how ->
        [secret] { $yes } yes, { $no } no, { $abstain } abstaining, by secret ballot in referendum { $referendum }
        [consensus] by consensus, no objection
        [consensus_withdrawn_one] by consensus, its one objection withdrawn
        [consensus_withdrawn] by consensus, its { $withdrawn } objections withdrawn
        [standing] { $standing } objections standing
       *[counted] { $yes } yes, { $no } no, { $abstain } abstaining
    })
event-close_motion = vote { $vote } closed: motion { $motion } { $verdict ->
        [adopted] adopted
       *[rejected] rejected
    } ({ $how ->
        [secret] { $yes } yes, { $no } no, { $abstain } abstaining, by secret ballot in referendum { $referendum }
        [consensus] by consensus, no objection
        [consensus_withdrawn_one] by consensus, its one objection withdrawn
        [consensus_withdrawn] by consensus, its { $withdrawn } objections withdrawn
        [standing] { $standing } objections standing
       *[counted] { $yes } yes, { $no } no, { $abstain } abstaining
    })
event-close_ranked = vote { $vote } closed: motion { $motion } chosen
event-close_no_winner = vote { $vote } closed: no single winner, nothing adopted
event-ratify = the constitution goes to referendum { $referendum }

# An article's history, line by line. The English lines are part of constitution.json and of
# constitution.md, whose hash the ratification carries: they must not change by a byte
# (docs/convention.md §5). The other languages are for the pages only.

history-moved = motion { $motion } moved by { $proposer } (log entry { $entry })
history-amended = amendment { $amendment } by { $proposer } adopted by vote { $vote } ({ $how ->
        [secret] { $yes } yes, { $no } no, { $abstain } abstaining, by secret ballot in referendum { $referendum }
        [consensus] by consensus, no objection
        [consensus_withdrawn_one] by consensus, its one objection withdrawn
        [consensus_withdrawn] by consensus, its { $withdrawn } objections withdrawn
        [standing] { $standing } objections standing
       *[counted] { $yes } yes, { $no } no, { $abstain } abstaining
    }; log entry { $entry })
history-adopted = adopted by vote { $vote } ({ $how ->
        [secret] { $yes } yes, { $no } no, { $abstain } abstaining, by secret ballot in referendum { $referendum }
        [consensus] by consensus, no objection
        [consensus_withdrawn_one] by consensus, its one objection withdrawn
        [consensus_withdrawn] by consensus, its { $withdrawn } objections withdrawn
        [standing] { $standing } objections standing
       *[counted] { $yes } yes, { $no } no, { $abstain } abstaining
    }; log entry { $entry }): { $paragraph ->
        [yes] paragraph
       *[no] article
    } { $article }
history-chosen = chosen by ranked vote { $vote } (Schulze; log entry { $entry }): { $paragraph ->
        [yes] paragraph
       *[no] article
    } { $article }
history-not_chosen = not chosen in ranked vote { $vote } (log entry { $entry })

# A vote's conditions, each with whether it holds (derived, never compared or signed).

condition-quorum = quorum: { $present } of { $in_office } members present, at least { $needed } needed
condition-majority = { $scope ->
        [assembly] assembly
       *[delegation] delegation of { $region }
    }: yes { $yes }, no { $no }, { $base_kind ->
        [present] present
       *[in_office] in office
    } { $base }; needs { $bar ->
        [simple] more yes than no
        [half] more than half of the members { $base_kind ->
            [present] present
           *[in_office] in office
        }
        [share] at least { $share } of the members { $base_kind ->
            [present] present
           *[in_office] in office
        }
       *[unanimity] no one against and someone for (abstaining does not prevent it)
    }
condition-objections = { $scope ->
        [assembly] assembly
       *[delegation] delegation of { $region }
    }: { $standing } standing { $standing ->
        [one] objection
       *[other] objections
    }; needs none
condition-objection = objection by { $name } for { $state } (log entry { $entry }), { $status ->
        [withdrawn] withdrawn (log entry { $at })
       *[standing] standing
    }
condition-ranked_count = { $ranked } of { $in_office } delegates ranked the options
condition-schulze_winner = Schulze winner: motion { $motion }
condition-schulze_tie = Schulze: a tie between motions { $motions }, so nothing is adopted
condition-schulze_none = Schulze: no single winner
condition-runoff_tie = instant runoff round { $round }: a tie for last place between motions { $motions }{ $decisive ->
        [yes] , which decides the winner
       *[no] ; the winner is the same whichever goes
    }
condition-runoff_winner = instant runoff (for comparison): motion { $motion }
condition-runoff_possible = instant runoff (for comparison): no single winner; motions { $motions } could win
condition-runoff_none = instant runoff (for comparison): no single winner

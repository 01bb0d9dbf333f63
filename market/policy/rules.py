"""Every rule value the platform decides by, each with its source.

A citation names the regulation and article where one fixes the value and the article was
confirmed in a source; ``LOCAL_CHOICE`` (本地选择) marks a value the platform chose. What
could not be confirmed is listed in ``UNCONFIRMED`` (key → what is missing), so the page,
the tests and the release note can say so.

Each rule's ``used_by`` names the functions that read it (``policy.value(key)``); no
module keeps its own copy of these numbers.

Sources read (stored public copies, 2026): 政府采购法 第三十六条 and 第五十二条;
财政部令第87号 第四十一条, 第四十七条, 第五十五条; 财政部令第94号 第十条;
竞争性磋商采购方式管理暂行办法 第十四条; 民政部令第39号 第六条, 第七条, 第二十八条;
the Kunshan 2013 opinions (../seed). 政府购买服务管理办法 (财政部令第102号) fixes none of
the numbers below: it requires performance evaluation of purchased services, which the
payment gate enforces, without a number.
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l

from market.policy.registry import LOCAL_CHOICE, Rule, area, consistency, register

D = Decimal

# --- units (shown after the value) ---------------------------------------------------

UNITS = {
    "percent": "%",
    "points": _l("points (of 100)"),
    "score_points": _l("points (of 1000)"),
    "days": _l("calendar days"),
    "working_days": _l("working days"),
    "years": _l("full years"),
    "months": _l("months"),
    "grade": "A",
    "experts": _l("experts"),
    "members": _l("members"),
    "thirds": _l("thirds of the members"),
    "yuan": _l("yuan"),
    "bids": _l("valid bids"),
    "characters": _l("characters"),
    "files": _l("files"),
    "milestones": _l("milestones"),
    "bytes": _l("bytes"),
    "seconds": _l("seconds"),
    "attempts": _l("failed attempts"),
    "times": _l("times the baseline count"),
    "per_10k": _l("organizations per 10,000 registered residents"),
    "filings": _l("complaints per hour"),
    "tenders": _l("tenders"),
    "committees": _l("committees in a fiscal year"),
}

# --- areas ----------------------------------------------------------------------------

area("tenders", _l("Tenders and scoring (招标与评标)"), 10)
area("grading", _l("Grade evaluation (等级评估)"), 20)
area("orgs", _l("Organizations and annual reports (社会组织与年报)"), 30)
area("contracts", _l("Contracts and payments (合同与支付)"), 40)
area("platform", _l("Platform limits and sign-in (平台限制与登录)"), 50)
area("targets", _l("Policy targets (政策目标)"), 60)
area("incubation", _l("Incubation bases (培育基地)"), 45)
area("redflags", _l("Red flags for auditors (风险提示)"), 70)

# --- citations ------------------------------------------------------------------------

GPL_36 = _l("Government Procurement Law (政府采购法), art. 36; MOF Order No. 87, art. 41")
GPL_52 = _l("Government Procurement Law, art. 52; Measures on Government Procurement "
            "Challenges and Complaints (政府采购质疑和投诉办法, MOF Order No. 94), art. 10")
MOF87_55 = _l("Measures on Tendering for Government Procurement of Goods and Services "
              "(政府采购货物和服务招标投标管理办法, MOF Order No. 87), art. 55")
TOS_PRICE = _l("Interim Measures on Competitive Negotiation (政府采购竞争性磋商采购方式管理暂行"
               "办法, Caiku [2014] No. 214): price weighs 10–30 % in a service project")
TOS_14 = _l("Interim Measures on Competitive Negotiation, art. 14 (three or more members, "
            "experts at least two thirds); MOF Order No. 87, art. 47 asks five or more for "
            "an open tender")
MOF87_47 = _l("Measures on Tendering for Government Procurement of Goods and Services "
              "(MOF Order No. 87), art. 47")
TOS_124 = _l("Supplementary notice on competitive negotiation (Caiku [2015] No. 124): two "
             "suppliers suffice for purchased services")
MCA39_6 = _l("Measures for the Evaluation of Social Organizations (社会组织评估管理办法, "
             "MCA Order No. 39), art. 6")
MCA39_7 = _l("Measures for the Evaluation of Social Organizations, art. 7")
MCA39_19 = _l("Measures for the Evaluation of Social Organizations, art. 19 (evaluators who "
              "left the organization less than two years ago stand aside)")
MCA39_28 = _l("Measures for the Evaluation of Social Organizations, art. 28")
MOF87_27 = _l("Measures on Tendering for Government Procurement of Goods and Services "
               "(MOF Order No. 87), art. 27: a clarification or change that can affect the "
               "preparation of bids is made at least 15 days before the bid deadline, or the "
               "deadline is postponed (顺延)")
KS_10 = _l("Kunshan 2013 Opinions on the healthy development of social organizations "
           "(关于加快推进全市社会组织健康发展的意见), item 10")
KS_2 = _l("Kunshan 2013 Opinions, part II (work targets)")
KS_5_10 = _l("Kunshan 2013 Opinions, item 5 (incubation bases supported by rewards instead of "
             "subsidies, 以奖代补) and item 10 (3A+ organizations are first to receive "
             "government rewards and support, 优先获得政府奖励和支持)")
GPL_46 = _l("Government Procurement Law, art. 46 (the contract is signed within thirty days "
            "of the award notice)")
GPIR_50 = _l("Regulations for the Implementation of the Government Procurement Law (政府采购法"
             "实施条例), art. 50 (the contract is published within two working days of "
             "signing)")
MOF102_24 = _l("Measures for the Administration of Government Purchase of Services (政府购买"
               "服务管理办法, MOF Order No. 102), art. 24 (a term of generally at most one year; "
               "up to three for stable, continuous services with a secured budget)")
GPL_22 = _l("Government Procurement Law, art. 22 (5): no serious violation in the three "
            "years before taking part; Measures for Government Purchase of Services "
            "(政府购买服务管理办法, MOF Order No. 102), art. 7: providers meet the procurement "
            "laws' conditions")
MOF_2020_10 = _l("MOF notice on publishing government procurement intentions (财政部《关于开展"
                 "政府采购意向公开工作的通知》, 财库〔2020〕10号): the intention is published as "
                 "early as possible, in principle no later than 30 days before the purchase "
                 "starts (原则上不得晚于采购活动开始前30日)")

# key -> what a reader should know is not confirmed in a source
UNCONFIRMED: dict[str, str] = {
    "complaint_response_working_days": "财政部令第94号: the 30 working days from receipt of "
                                       "a complaint are confirmed in a stored source, the "
                                       "article number (第二十六条) is not shown there",
    "grant_review_disagreement_margin": "the practice of reviewing markedly high or low "
                                        "expert scores (畸高畸低, recalled from 财库〔2012〕69号) "
                                        "was not found in a stored source; the 20-point "
                                        "margin is the platform's choice",
    "intention_public_days": "财库〔2020〕10号: the 30-day rule (原则上不得晚于采购活动开始前30日) "
                             "is confirmed in public copies quoting the notice (the State "
                             "Taxation Administration's and Hainan finance bureau's notices), "
                             "not in the MOF text itself, so its part number (四、采购意向公开的"
                             "依据和时间?) is not; its exception for unforeseeable urgent "
                             "purchases is not implemented",
    "committee_min_members_large": "MOF Order No. 87, art. 47: seven or more members for a "
                                   "project of 10 million yuan or more, technically complex "
                                   "or of wide social impact — recalled, the paragraph was "
                                   "not found in a stored source",
    "committee_large_budget": "MOF Order No. 87, art. 47 (10 million yuan): as above; "
                              "complexity and social impact are left to the department",
    "tender_amendment_min_days": "财政部令第87号 第二十七条: the 15-day rule and the "
                                 "postponement (不足15日的，顺延提交投标文件的截止时间) are "
                                 "from the Order's text as known; no stored source was found "
                                 "to confirm the article number",
    "tender_price_weight_max": "竞争性磋商采购方式管理暂行办法 (财库〔2014〕214号): the 10–30 % "
                               "service range is confirmed, its article number (第二十四条?) "
                               "is not; applying it to open tenders is the platform's choice",
    "tender_min_valid_bids_negotiation": "财库〔2015〕124号 (two suppliers for purchased "
                                         "services): not found in a source",
    "recusal_cooling_off_years": "民政部令第39号: the two-year rule for evaluators is "
                                 "confirmed, the article number 第十九条 is inferred from "
                                 "the text's position; extending it to agencies that worked "
                                 "for the organization is the platform's choice",
    "priority_price_deduction_default": "modelled on the small-enterprise deduction of "
                                        "6–10 % (财库〔2020〕46号, raised to 10–20 % in 2022); "
                                        "no regulation fixes a 3A+ deduction",
    "grade_notice_days": "民政部令第39号 requires a public notice (公示) of results but the "
                         "length found varies by province; 7 days is the platform's choice",
    "contract_sign_days": "政府采购法 第四十六条: the thirty days from the award notice are "
                          "confirmed in secondary sources (a provincial contract-management "
                          "rule and a Q&A book quoting the article's wording "
                          "'中标、成交通知书发出'); the article's full text was not read in a "
                          "primary source",
    "tender_period_min_days_open": "政府采购法 第三十五条 (twenty days from the tender "
                                   "documents to the bid deadline for goods and services "
                                   "tendered): the text as known; not read in a stored source",
    "redflag_split_threshold": "modelled on the central public-tender threshold for services "
                               "of 2,000,000 yuan (国办发〔2019〕55号, 中央预算单位政府集中采购目录"
                               "及标准 2020版); the Jiangsu/Kunshan threshold was not found",
    "redflag_payment_grace_days": "modelled on 保障中小企业款项支付条例 (国务院令第728号) art. 8 "
                                  "(payment within 30 days of delivery); not read in a stored "
                                  "source",
    "target_base_year": "the Kunshan 2013 Opinions (part II) set the doubling for the end "
                        "of the 12th Five-Year Plan (2015) without naming the base; the end "
                        "of the 11th plan (2010) is the usual base of a plan-period target "
                        "and is the platform's reading",
    "grade_threshold_5": "provincial standards seen use 5A ≥ 950 of 1000 with 4A 901–950; "
                         "Jiangsu/Kunshan thresholds not found",
}

# --- tenders (招标与评标) ---------------------------------------------------------------

register(
    # market/tenders/tender_services.py publish_tender() -> _check_intention()
    Rule("intention_public_days", 30,
         _l("Days the catalog item's procurement intention (采购意向) has been public before "
            "its tender may be published, minimum"), MOF_2020_10, "days", int, "tenders",
         0, 365, used_by="market.tenders.tender_services._check_intention"),
    # market/tenders/rules.py priority_default() / _priority_value()
    Rule("priority_price_deduction_default", D("6"),
         _l("3A+ price deduction, default (价格扣除)"), LOCAL_CHOICE, "percent", Decimal,
         "tenders", D("0"), D("100"),
         basis=_l("Modelled on the small-enterprise price deduction (财库〔2020〕46号)."),
         aliases=("PRIORITY_PRICE_DEDUCTION_DEFAULT",),
         used_by="market.tenders.rules.priority_default"),
    # market/tenders/rules.py priority_max()
    Rule("priority_price_deduction_max", D("10"),
         _l("3A+ price deduction, maximum a tender may set"), LOCAL_CHOICE, "percent", Decimal,
         "tenders", D("0"), D("100"), aliases=("PRIORITY_PRICE_DEDUCTION_MAX",),
         used_by="market.tenders.rules.priority_max"),
    # market/tenders/rules.py priority_default()
    Rule("priority_score_bonus_default", D("2"),
         _l("3A+ score bonus, default (加分)"), LOCAL_CHOICE, "points", Decimal,
         "tenders", D("0"), D("100"), aliases=("PRIORITY_SCORE_BONUS_DEFAULT",),
         used_by="market.tenders.rules.priority_default"),
    # market/tenders/rules.py priority_max()
    Rule("priority_score_bonus_max", D("5"),
         _l("3A+ score bonus, maximum a tender may set"), LOCAL_CHOICE, "points", Decimal,
         "tenders", D("0"), D("100"), aliases=("PRIORITY_SCORE_BONUS_MAX",),
         used_by="market.tenders.rules.priority_max"),
    # market/tenders/rules.py clean_criteria()
    Rule("tender_price_weight_min", D("10"),
         _l("Price criterion weight, minimum (价格分值)"), MOF87_55, "points", Decimal,
         "tenders", D("0"), D("100"), aliases=("TENDER_PRICE_WEIGHT_MIN",),
         used_by="market.tenders.rules.clean_criteria"),
    # market/tenders/rules.py clean_criteria(); market/tenders/forms.py fill_from_item()
    # starts a new tender's price weight at this maximum
    Rule("tender_price_weight_max", D("30"),
         _l("Price criterion weight, maximum"), TOS_PRICE, "points", Decimal,
         "tenders", D("0"), D("100"), aliases=("TENDER_PRICE_WEIGHT_MAX",),
         used_by="market.tenders.rules.clean_criteria"),
    # market/tenders/rules.py clean_terms() -> _days() and the Tender.standstill_days default
    Rule("tender_standstill_days_default", 7,
         _l("Standstill before signing, default (中标后等待期)"), LOCAL_CHOICE, "days", int,
         "tenders", 0, 365,
         basis=_l("Leaves bidders the challenge period before the contract is signed."),
         aliases=("TENDER_STANDSTILL_DAYS_DEFAULT",),
         used_by="market.tenders.rules.clean_terms"),
    # market/tenders/rules.py clean_terms() -> _days(low)
    Rule("tender_standstill_days_min", 0,
         _l("Standstill before signing, minimum a tender may set"), LOCAL_CHOICE, "days",
         int, "tenders", 0, 365, used_by="market.tenders.rules.clean_terms"),
    # market/tenders/rules.py clean_terms() -> _days(high)
    Rule("tender_standstill_days_max", 60,
         _l("Standstill before signing, maximum a tender may set"), LOCAL_CHOICE, "days",
         int, "tenders", 0, 365, used_by="market.tenders.rules.clean_terms"),
    # market/tenders/rules.py clean_terms() -> _days() and the Tender.challenge_window_days
    # column default; the deadline is counted in working days (market/tenders/calendar.py)
    Rule("tender_challenge_working_days_default", 7,
         _l("Challenge period after the award (质疑期)"), GPL_52, "working_days", int,
         "tenders", 1, 60, aliases=("TENDER_CHALLENGE_WORKING_DAYS_DEFAULT",),
         used_by="market.tenders.rules.clean_terms"),
    # market/tenders/rules.py clean_terms() -> _days(low)
    Rule("tender_challenge_working_days_min", 1,
         _l("Challenge period, minimum a tender may set"), LOCAL_CHOICE, "working_days", int,
         "tenders", 1, 60, used_by="market.tenders.rules.clean_terms"),
    # market/tenders/rules.py clean_terms() -> _days(high)
    Rule("tender_challenge_working_days_max", 30,
         _l("Challenge period, maximum a tender may set"), LOCAL_CHOICE, "working_days", int,
         "tenders", 1, 60, used_by="market.tenders.rules.clean_terms"),
    # market/tenders/models.py MIN_VALID_BIDS_RULE[OPEN], read by
    # market/tenders/tender_services.py open_bids()
    Rule("tender_min_valid_bids_open", 3,
         _l("Valid bids needed to evaluate an open tender (废标: fewer than three)"), GPL_36,
         "bids", int, "tenders", 1, 20, used_by="market.tenders.models.MIN_VALID_BIDS_RULE"),
    # market/tenders/models.py MIN_VALID_BIDS_RULE[NEGOTIATION], same reader
    Rule("tender_min_valid_bids_negotiation", 2,
         _l("Valid bids needed in a competitive negotiation (竞争性磋商)"), TOS_124,
         "bids", int, "tenders", 1, 20, used_by="market.tenders.models.MIN_VALID_BIDS_RULE"),
    # market/tenders/scoring/committee.py min_members(), composition_problem()
    Rule("committee_min_members", 5,
         _l("Members of an evaluation committee, minimum, an odd number (评标委员会)"),
         MOF87_47, "members", int, "tenders", 5, 25,
         used_by="market.tenders.scoring.committee.min_members"),
    # market/tenders/scoring/committee.py min_members(): large projects
    Rule("committee_min_members_large", 7,
         _l("Members of an evaluation committee for a large project, minimum"),
         MOF87_47, "members", int, "tenders", 5, 25,
         used_by="market.tenders.scoring.committee.min_members"),
    # market/tenders/scoring/committee.py min_members(): what counts as large
    Rule("committee_large_budget", D("10000000.00"),
         _l("Ceiling price from which a tender is a large project (more members)"),
         MOF87_47, "yuan", Decimal, "tenders", D("0.01"), D("100000000000.00"),
         used_by="market.tenders.scoring.committee.min_members"),
    # market/tenders/scoring/committee.py check_composition()
    Rule("committee_expert_min_thirds", 2,
         _l("Drawn experts on an evaluation committee, minimum share"),
         MOF87_47, "thirds", int, "tenders", 2, 3,
         used_by="market.tenders.scoring.committee.check_composition"),
    # market/tenders/tender_services.py _postpone_if_short()
    Rule("tender_amendment_min_days", 15,
         _l("Days left before the bid deadline after a change that affects bid preparation "
            "(澄清或者修改), minimum; a later change postpones the deadline"), MOF87_27,
         "days", int, "tenders", 1, 60,
         used_by="market.tenders.tender_services._postpone_if_short"),
    # market/tenders/bid_services.py _clean()
    Rule("bid_proposal_max_chars", 50_000,
         _l("Length of a bid's written proposal, maximum"), LOCAL_CHOICE, "characters", int,
         "tenders", 100, 1_000_000, used_by="market.tenders.bid_services._clean"),
    # market/tenders/bid_services.py _attach()
    Rule("bid_max_documents", 10,
         _l("Documents attached to a bid, maximum"), LOCAL_CHOICE, "files", int,
         "tenders", 1, 100, used_by="market.tenders.bid_services._attach"),
    # market/credit/queries.py standing_on(): 前三年内无重大违法记录
    Rule("provider_serious_violation_years", 3,
         _l("A serious violation bars a provider from bidding this long (重大违法记录)"),
         GPL_22, "years", int, "tenders", 1, 10,
         used_by="market.credit.queries.standing_on"),
    # market/credit/queries.py standing_on(): a contract terminated for the organization's
    # fault bars bidding (and a failed evaluation or upheld complaint counts against it)
    # for this many years. A terminated contract is not a 重大违法记录, so no law fixes it.
    Rule("credit_negative_years", 3,
         _l("A contract terminated for the organization's fault bars it from bidding this "
            "long; a failed performance evaluation or an upheld complaint counts against "
            "its credit as long (信用记录)"), LOCAL_CHOICE, "years", int, "tenders", 1, 10,
         basis=_l("Government Procurement Law, art. 22: a provider has a good business "
                  "reputation (良好的商业信誉) (2) and no serious violation in the three years "
                  "before taking part (5). A contract terminated for the provider's fault is "
                  "not a serious violation; the platform applies the same three years to it "
                  "as a matter of reputation."),
         used_by="market.credit.queries.standing_on"),
    # market/tenders/eligibility.py report_year(): in the first N months of a year the
    # report of the year before last still counts (annual reports are filed and inspected
    # in the first half of the year)
    Rule("provider_annual_report_grace_months", 0,
         _l("Months into a year during which the report of the year before last still "
            "counts for bidding (年报)"), LOCAL_CHOICE, "months", int, "tenders", 0, 12,
         basis=_l("By default the previous year's report is required; a deployment may let "
                  "the year before last count during the annual inspection season (January "
                  "to May)."),
         used_by="market.tenders.eligibility.report_year"),
    # market/tenders/clarifications.py ask_question() and answer_question()
    Rule("clarification_max_chars", 4000,
         _l("Length of a clarification question or answer (澄清), maximum"), LOCAL_CHOICE,
         "characters", int, "tenders", 100, 100_000,
         used_by="market.tenders.clarifications.ask_question"),
)

consistency(("committee_min_members", "committee_min_members_large"),
            lambda low, high: low % 2 == 1 and high % 2 == 1 and low <= high,
            "the committee minimums must be odd, the large-project one not below the other")
consistency(("tender_price_weight_min", "tender_price_weight_max"),
            lambda low, high: low <= high,
            "the price weight minimum exceeds its maximum")
consistency(("priority_price_deduction_default", "priority_price_deduction_max"),
            lambda d, m: 0 < d <= m, "the 3A+ price deduction default must be above 0 and "
            "at most its maximum")
consistency(("priority_score_bonus_default", "priority_score_bonus_max"),
            lambda d, m: 0 < d <= m, "the 3A+ score bonus default must be above 0 and at "
            "most its maximum")
consistency(("tender_standstill_days_min", "tender_standstill_days_default",
             "tender_standstill_days_max"), lambda a, d, b: a <= d <= b,
            "the standstill default must lie between its minimum and maximum")
consistency(("tender_challenge_working_days_min", "tender_challenge_working_days_default",
             "tender_challenge_working_days_max"), lambda a, d, b: a <= d <= b,
            "the challenge-period default must lie between its minimum and maximum")

# --- grade evaluation (等级评估) --------------------------------------------------------

register(
    # market/grading/grades.py has_priority(), market/grading/catalog.py qualified(),
    # market/tenders/bid_services.py required_grade() (restricted tenders),
    # market/tenders/scoring/services.py store_results() (3A+ priority in ranking)
    Rule("priority_grade", 3,
         _l("Grade that earns priority (3A级及以上优先)"), KS_10, "grade", int, "grading", 1, 5,
         used_by="market.grading.grades.has_priority"),
    # market/grading/grades.py record_grade()
    Rule("grade_validity_years", 5,
         _l("Validity of a grade (评估等级有效期)"), MCA39_28, "years", int, "grading", 1, 10,
         used_by="market.grading.grades.record_grade"),
    # market/grading/eligibility.py eligibility() and
    # market/grading/services/clearance.py eligible_from()
    Rule("grading_eligible_after_years", 2,
         _l("Registered this long before first evaluation (登记满两个年度)"), MCA39_6, "years",
         int, "grading", 0, 10,
         used_by="market.grading.eligibility.eligibility; "
                 "market.grading.services.clearance.eligible_from"),
    # market/grading/eligibility.py exclusions(): two consecutive "basic pass" years exclude
    Rule("grading_basic_pass_years_excluded", 2,
         _l("Consecutive “basically passed” inspections that exclude from evaluation "
            "(连续基本合格)"), MCA39_7, "years", int, "grading", 1, 10,
         used_by="market.grading.eligibility.exclusions"),
    # market/grading/services/clearance.py _reason()
    Rule("clearance_grace_years", 3,
         _l("Eligible but not evaluated this long: cleared out (清退)"), KS_10, "years", int,
         "grading", 1, 10, used_by="market.grading.services.clearance._reason"),
    # market/grading/catalog.py _accepted_latest_report()
    Rule("catalog_annual_report_max_age_years", 2,
         _l("Qualified catalog: the latest accepted annual report covers a year no older "
            "than this"), LOCAL_CHOICE, "years", int, "grading", 1, 10,
         basis=_l("A year's annual report is inspected in the first half of the next year, "
                  "so until then the latest report due covers the year before last."),
         used_by="market.grading.catalog._accepted_latest_report"),
    # market/grading/recusal.py conflict_reason()
    Rule("recusal_cooling_off_years", 2,
         _l("An evaluator that worked for the organization stands aside this long (回避)"),
         MCA39_19, "years", int, "grading", 0, 10,
         used_by="market.grading.recusal.conflict_reason"),
    # market/grading/services/cycles.py open_cycle(), the GradeCycle.notice_days column
    # default and the form in templates/grading/cycles.html
    Rule("grade_notice_days", 7,
         _l("Public notice of proposed grades (公示期)"), LOCAL_CHOICE, "days", int,
         "grading", 1, 60, used_by="market.grading.services.cycles.open_cycle"),
    # market/grading/models.py GradeCycle.threshold_5..1 column defaults (a cycle keeps its
    # own thresholds, read by market/grading/services/cycles.py grade_for_total())
    Rule("grade_threshold_5", D("950"), _l("Score for 5A, default"), LOCAL_CHOICE,
         "score_points", Decimal, "grading", D("0"), D("100000"),
         basis=_l("Indicator table of 1000 points, as in provincial evaluation standards."),
         used_by="market.grading.models.GradeCycle.threshold_5"),
    Rule("grade_threshold_4", D("900"), _l("Score for 4A, default"), LOCAL_CHOICE,
         "score_points", Decimal, "grading", D("0"), D("100000"),
         used_by="market.grading.models.GradeCycle.threshold_4"),
    Rule("grade_threshold_3", D("850"), _l("Score for 3A, default"), LOCAL_CHOICE,
         "score_points", Decimal, "grading", D("0"), D("100000"),
         used_by="market.grading.models.GradeCycle.threshold_3"),
    Rule("grade_threshold_2", D("800"), _l("Score for 2A, default"), LOCAL_CHOICE,
         "score_points", Decimal, "grading", D("0"), D("100000"),
         used_by="market.grading.models.GradeCycle.threshold_2"),
    Rule("grade_threshold_1", D("750"), _l("Score for 1A, default"), LOCAL_CHOICE,
         "score_points", Decimal, "grading", D("0"), D("100000"),
         used_by="market.grading.models.GradeCycle.threshold_1"),
    # market/grading/services/cycles.py DEFAULT_INDICATORS, read by open_cycle()
    Rule("indicator_basic_points", D("150"), _l("Indicator “basic conditions” (基础条件), points"),
         LOCAL_CHOICE, "score_points", Decimal, "grading", D("0"), D("100000"),
         used_by="market.grading.services.cycles.DEFAULT_INDICATORS"),
    Rule("indicator_governance_points", D("350"),
         _l("Indicator “internal governance” (内部治理), points"), LOCAL_CHOICE,
         "score_points", Decimal, "grading", D("0"), D("100000"),
         used_by="market.grading.services.cycles.DEFAULT_INDICATORS"),
    Rule("indicator_performance_points", D("350"),
         _l("Indicator “work performance” (工作绩效), points"), LOCAL_CHOICE,
         "score_points", Decimal, "grading", D("0"), D("100000"),
         used_by="market.grading.services.cycles.DEFAULT_INDICATORS"),
    Rule("indicator_social_points", D("150"),
         _l("Indicator “social evaluation” (社会评价), points"), LOCAL_CHOICE,
         "score_points", Decimal, "grading", D("0"), D("100000"),
         used_by="market.grading.services.cycles.DEFAULT_INDICATORS"),
)

consistency(("grade_threshold_5", "grade_threshold_4", "grade_threshold_3",
             "grade_threshold_2", "grade_threshold_1"),
            lambda a, b, c, d, e: a > b > c > d > e > 0,
            "grade thresholds must fall strictly from 5A to 1A and stay above 0")
consistency(("grade_threshold_5", "indicator_basic_points", "indicator_governance_points",
             "indicator_performance_points", "indicator_social_points"),
            lambda top, *points: top <= sum(points),
            "the 5A threshold cannot exceed the indicators' total")

# --- organizations (社会组织与年报) -----------------------------------------------------

register(
    # market/orgs/reporting.py due_years()
    Rule("annual_report_years_due", 3,
         _l("Past years an organization is reminded to report (年报)"), LOCAL_CHOICE, "years",
         int, "orgs", 1, 20, used_by="market.orgs.reporting.due_years"),
)

# --- contracts and payments (合同与支付) ------------------------------------------------

register(
    # market/contracts/services.py default_schedule(): 30 / 40 / 30 % at +30 / +180 / +330
    # days, the last milestone gated by a performance evaluation
    Rule("payment_advance_percent", 30,
         _l("Default schedule: advance on signing (预付款)"), LOCAL_CHOICE, "percent", int,
         "contracts", 0, 100, used_by="market.contracts.services.default_schedule"),
    Rule("payment_advance_days", 30,
         _l("Default schedule: advance due after signing"), LOCAL_CHOICE, "days", int,
         "contracts", 0, 3650, used_by="market.contracts.services.default_schedule"),
    Rule("payment_midterm_percent", 40,
         _l("Default schedule: mid-term payment (中期款)"), LOCAL_CHOICE, "percent", int,
         "contracts", 0, 100, used_by="market.contracts.services.default_schedule"),
    Rule("payment_midterm_days", 180,
         _l("Default schedule: mid-term payment due after signing"), LOCAL_CHOICE, "days",
         int, "contracts", 0, 3650, used_by="market.contracts.services.default_schedule"),
    Rule("payment_final_percent", 30,
         _l("Default schedule: final payment, after a passing evaluation (尾款)"),
         LOCAL_CHOICE, "percent", int, "contracts", 0, 100,
         used_by="market.contracts.services.default_schedule"),
    Rule("payment_final_days", 330,
         _l("Default schedule: final payment due after signing"), LOCAL_CHOICE, "days", int,
         "contracts", 0, 3650, used_by="market.contracts.services.default_schedule"),
    # market/contracts/services.py schedule()
    Rule("contract_max_milestones", 12,
         _l("Payment milestones in a contract, maximum"), LOCAL_CHOICE, "milestones", int,
         "contracts", 1, 100, used_by="market.contracts.services.schedule"),
    # market/contracts/payments.py submit_deliverables()
    Rule("deliverable_max_files", 5,
         _l("Files attached to a deliverable, maximum"), LOCAL_CHOICE, "files", int,
         "contracts", 1, 100, used_by="market.contracts.payments.submit_deliverables"),
)

# The written contract (政府采购合同): signing period, term, publication. Sources read:
# 政府购买服务管理办法 (MOF Order No. 102) art. 23 (what the contract states) and art. 24
# (term); 政府采购法实施条例 art. 50 (publication); 政府采购法 art. 46 (see UNCONFIRMED).
register(
    # market/contracts/services.py signing_deadline()
    Rule("contract_sign_days", 30,
         _l("Days from the award notice within which the contract is signed"), GPL_46, "days",
         int, "contracts", 1, 365, used_by="market.contracts.services.signing_deadline"),
    # market/contracts/services.py check_term()
    Rule("contract_term_max_months", 12,
         _l("Contract term, maximum (履行期限)"), MOF102_24, "months", int, "contracts", 1, 120,
         used_by="market.contracts.services.check_term"),
    # market/contracts/services.py check_term()
    Rule("contract_term_long_max_months", 36,
         _l("Contract term, maximum for a service marked as stable and continuous"),
         MOF102_24, "months", int, "contracts", 1, 120,
         used_by="market.contracts.services.check_term"),
    # market/contracts/services.py publication_deadline()
    Rule("contract_publish_working_days", 2,
         _l("Working days after signing within which the contract is published (合同公告)"),
         GPIR_50, "working_days", int, "contracts", 0, 30,
         used_by="market.contracts.services.publication_deadline"),
)

consistency(("contract_term_max_months", "contract_term_long_max_months"),
            lambda short, long: short <= long,
            "the ordinary contract term may not exceed the long one")

consistency(("payment_advance_percent", "payment_midterm_percent", "payment_final_percent"),
            lambda a, b, c: a + b + c == 100,
            "the default payment schedule must add up to 100 %")
consistency(("payment_advance_days", "payment_midterm_days", "payment_final_days"),
            lambda a, b, c: a <= b <= c,
            "the default payment schedule's due days must not go backwards")

# --- platform limits and sign-in (平台限制与登录) --------------------------------------

register(
    # market/documents/storage.py DocumentStore.current() (was config MAX_UPLOAD_BYTES);
    # Flask's MAX_CONTENT_LENGTH (12 MiB) stays in market/config.py
    Rule("max_upload_bytes", 10 * 1024 * 1024,
         _l("Size of one uploaded document, maximum"), LOCAL_CHOICE, "bytes", int,
         "platform", 1024, 1024 ** 3, aliases=("MAX_UPLOAD_BYTES",),
         used_by="market.documents.storage.DocumentStore.current"),
    # market/security.py init_app (was config LOGIN_MAX_FAILURES)
    Rule("login_max_failures", 5,
         _l("Failed sign-ins before the account or address is throttled"), LOCAL_CHOICE,
         "attempts", int, "platform", 1, 1000, aliases=("LOGIN_MAX_FAILURES",),
         used_by="market.security.init_app"),
    # market/security.py init_app (was config LOGIN_FAILURE_WINDOW_SECONDS)
    Rule("login_failure_window_seconds", 15 * 60,
         _l("Window in which failed sign-ins are counted"), LOCAL_CHOICE, "seconds", int,
         "platform", 1, 86_400, aliases=("LOGIN_FAILURE_WINDOW_SECONDS",),
         used_by="market.security.init_app"),
    # market/accounts/services.py create_user() and market/accounts/forms.py long_enough()
    Rule("password_min_length", 8,
         _l("Password length, minimum"), LOCAL_CHOICE, "characters", int, "platform", 6, 128,
         used_by="market.accounts.services.create_user"),
)

# --- incubation bases (培育基地) ------------------------------------------------------

register(
    # market/incubation/services.py priority_reserve(): while a reward to a base run by a
    # 3A+ organization (policy priority_grade) waits on a budget line, other rewards may only
    # use what is left above it. 1 = on (the seed's "优先"), 0 = first come, first paid.
    Rule("incubation_reward_priority", 1,
         _l("Rewards to bases run by 3A+ organizations are paid first from a budget line "
            "(1 = yes, 0 = no)"), KS_5_10, "", int, "incubation", 0, 1,
         used_by="market.incubation.services.priority_reserve"),
)

# --- policy targets (政策目标; the dashboard, market/dashboard/queries.py) --------------

KS_5 = _l("Kunshan 2013 Opinions, item 5 (by the end of the 12th Five-Year Plan the city and "
          "every town have at least one model incubation base, 市、区镇各有1个以上)")

register(
    # market/dashboard/queries.py indicators(): the count's line against N x the base year's
    Rule("target_org_growth", D("2"),
         _l("Social organizations by the plan's end (翻番)"), KS_2, "times", Decimal,
         "targets", D("0"), D("100"), used_by="market.dashboard.queries.indicators"),
    # market/dashboard/queries.py indicators(): the year whose count is doubled
    Rule("target_base_year", 2010,
         _l("Base year of the doubling target (the end of the 11th Five-Year Plan)"), KS_2,
         "", int, "targets", 1990, 2100, used_by="market.dashboard.queries.indicators"),
    # market/dashboard/queries.py indicators(): the year the targets are due
    Rule("target_due_year", 2015,
         _l("Year the targets are due (the end of the 12th Five-Year Plan, 十二五末)"), KS_2,
         "", int, "targets", 1990, 2100, used_by="market.dashboard.queries.indicators"),
    # market/dashboard/queries.py indicators()
    Rule("target_orgs_per_10k_residents", D("10"),
         _l("Registered organizations per 10,000 registered residents (万人拥有)"), KS_2,
         "per_10k", Decimal, "targets", D("0"), D("1000"),
         used_by="market.dashboard.queries.indicators"),
    # market/dashboard/queries.py indicators()
    Rule("target_graded_share_percent", D("30"),
         _l("Share of organizations holding a grade (等级社会组织占比)"), KS_2, "percent",
         Decimal, "targets", D("0"), D("100"), used_by="market.dashboard.queries.indicators"),
    # market/dashboard/queries.py indicators(): town-level bases per town (and city-level)
    Rule("target_bases_per_town", 1,
         _l("Incubation bases per town, and at city level, minimum (培育基地)"), KS_5, "",
         int, "targets", 0, 100, used_by="market.dashboard.queries.indicators"),
)

# --- venture philanthropy (公益创投) ----------------------------------------------------

area("grants", _l("Venture philanthropy (公益创投)"), 45)

KS_13 = _l("Kunshan 2013 Opinions, items 13 and 14 (yearly city-wide venture philanthropy; "
           "support focused on start-up public-welfare organizations)")

register(
    # market/grants/services.py round_defaults() (the new-round form starts here)
    Rule("grant_self_raised_share_default", D("20"),
         _l("Minimum self-raised share of a project's budget, default (自筹比例)"),
         LOCAL_CHOICE, "percent", Decimal, "grants", D("0"), D("90"),
         basis=_l("Venture philanthropy rounds commonly ask applicants to match part of the "
                  "grant; the round may set another share."),
         used_by="market.grants.services.round_defaults"),
    # market/grants/services.py round_defaults(), _clean_round() (score bonus for 3A+)
    Rule("grant_priority_bonus_default", D("3"),
         _l("Score bonus for 3A+ organizations in a round, default (3A级及以上加分)"),
         LOCAL_CHOICE, "points", Decimal, "grants", D("0"), D("10"),
         basis=KS_10, used_by="market.grants.services.round_defaults"),
    Rule("grant_priority_bonus_max", D("5"),
         _l("Score bonus for 3A+ organizations in a round, maximum"),
         LOCAL_CHOICE, "points", Decimal, "grants", D("0"), D("20"),
         basis=KS_10, used_by="market.grants.services._clean_round"),
    # market/grants/services.py _clean_round() (reserved share of the pool for 3A+)
    Rule("grant_priority_reserved_share_max", D("50"),
         _l("Share of a round's pool reserved for 3A+ organizations, maximum (预留份额)"),
         LOCAL_CHOICE, "percent", Decimal, "grants", D("0"), D("100"),
         basis=KS_10, used_by="market.grants.services._clean_round"),
    # market/grants/services.py eligibility_problem() (初创期社会组织)
    Rule("grant_startup_years", 3,
         _l("A start-up organization: registered less than this long (初创期)"),
         LOCAL_CHOICE, "years", int, "grants", 0, 10, basis=KS_13,
         used_by="market.grants.services.eligibility_problem"),
    # market/grants/services.py round_defaults() (tranche schedule 50/30/20)
    Rule("grant_tranche_signing_percent", 50,
         _l("Tranche paid on signing the grant agreement, default"), LOCAL_CHOICE, "percent",
         int, "grants", 0, 100, used_by="market.grants.services.round_defaults"),
    Rule("grant_tranche_midterm_percent", 30,
         _l("Tranche paid after a passing mid-term evaluation, default"), LOCAL_CHOICE,
         "percent", int, "grants", 0, 100, used_by="market.grants.services.round_defaults"),
    Rule("grant_tranche_final_percent", 20,
         _l("Tranche paid after a passing final evaluation, default"), LOCAL_CHOICE,
         "percent", int, "grants", 0, 100, used_by="market.grants.services.round_defaults"),
    # market/grants/services.py round_defaults()
    Rule("grant_reviewers_default", 3,
         _l("Reviewers per application, default"), LOCAL_CHOICE, "experts", int, "grants",
         1, 15, used_by="market.grants.services.round_defaults"),
    # market/grants/review.py ranking() (flag for a second look, 复核)
    Rule("grant_review_disagreement_margin", D("20"),
         _l("Reviewers' weighted scores of one application differing by more than this "
            "flag it for a second look (评分差异复核)"),
         LOCAL_CHOICE, "points", Decimal, "grants", D("1"), D("100"),
         basis=_l("Government procurement practice sends markedly high or low expert scores "
                  "(畸高畸低) back for a second look or a written reason; 20 points on a "
                  "100-point scale is the platform's choice."),
         used_by="market.grants.review.ranking"),
)
consistency(("grant_tranche_signing_percent", "grant_tranche_midterm_percent",
             "grant_tranche_final_percent"), lambda a, b, c: a + b + c == 100,
            "the default tranches must sum to 100 %")
consistency(("grant_priority_bonus_default", "grant_priority_bonus_max"),
            lambda d, m: d <= m, "the 3A+ score bonus default exceeds its maximum")

# --- complaints (投诉举报) --------------------------------------------------------------

area("complaints", _l("Complaints (投诉举报)"), 55)

MOF94_26 = _l("Measures on Government Procurement Challenges and Complaints (政府采购质疑和投诉"
              "办法, MOF Order No. 94), art. 26: the finance department decides a supplier's "
              "complaint within 30 working days of receiving it")

register(
    # market/complaints/services.py due_at(): counted from the filing, on the working-day
    # calendar the operator keeps (market/tenders/calendar.py)
    Rule("complaint_response_working_days", 30,
         _l("Working days from filing within which a complaint is answered"), LOCAL_CHOICE,
         "working_days", int, "complaints", 1, 120, basis=MOF94_26,
         used_by="market.complaints.services.due_at"),
    # market/complaints/services.py check_rate(): per address and per browser session
    Rule("complaint_filings_per_hour", 5,
         _l("Complaints one address or browser may file in an hour, maximum"), LOCAL_CHOICE,
         "filings", int, "complaints", 1, 1000,
         basis=_l("Enough for a person with several concerns; a script filing in bulk is "
                  "stopped without a third-party service."),
         used_by="market.complaints.services.check_rate"),
    # market/complaints/forms.py filled_too_fast(): the signed time the form was served
    Rule("complaint_min_fill_seconds", 5,
         _l("Time between opening the complaint form and sending it, minimum"), LOCAL_CHOICE,
         "seconds", int, "complaints", 0, 600,
         basis=_l("No person reads and fills the form faster; scripts usually do."),
         used_by="market.complaints.forms.filled_too_fast"),
    # market/complaints/services.py file_complaint(), dismiss(), respond()
    Rule("complaint_max_chars", 5000,
         _l("Length of a complaint, a finding or a reason for dismissal, maximum"),
         LOCAL_CHOICE, "characters", int, "complaints", 100, 100_000,
         used_by="market.complaints.services.file_complaint"),
    # market/complaints/services.py file_complaint()
    Rule("complaint_max_attachments", 3,
         _l("Files attached to one complaint, maximum"), LOCAL_CHOICE, "files", int,
         "complaints", 0, 20, used_by="market.complaints.services.file_complaint"),
)

# --- red flags for auditors (风险提示) ---------------------------------------------------
# Thresholds of the auditors' red flags (market/redflags/detectors.py). The minimum tender
# periods are procurement rules proper (the flag reads them; publishing does not enforce
# them yet); the other values are audit heuristics — concentration, pricing at the
# ceiling, split purchases, late payment, repeated evaluators — that no regulation fixes.

TOS_10 = _l("Interim Measures on Competitive Negotiation (Caiku [2014] No. 214), art. 10: at "
            "least ten days from the negotiation documents to the first responses")
GPL_35 = _l("Government Procurement Law, art. 35: at least twenty days from the tender "
            "documents to the bid deadline")
HEURISTIC = _l("A common audit heuristic (审计常用风险指标), not a regulation: the platform "
               "chose the value.")

register(
    # market/redflags/detectors.py short_period()
    Rule("tender_period_min_days_open", 20,
         _l("Days from publication to the bid deadline of an open tender, minimum (等标期)"),
         GPL_35, "days", int, "tenders", 1, 90, used_by="market.redflags.detectors.short_period"),
    Rule("tender_period_min_days_negotiation", 10,
         _l("Days from publication to the first responses in a competitive negotiation, "
            "minimum"), TOS_10, "days", int, "tenders", 1, 90,
         used_by="market.redflags.detectors.short_period"),
    # market/redflags/detectors.py dominant_winner()
    Rule("redflag_dominant_share_percent", D("50"),
         _l("One organization's share of a department's awards in a fiscal year above which "
            "it is flagged"), LOCAL_CHOICE, "percent", Decimal, "redflags", D("1"), D("100"),
         basis=HEURISTIC, used_by="market.redflags.detectors.dominant_winner"),
    Rule("redflag_dominant_min_awards", 3,
         _l("Awards a department made in the year before a dominant winner is flagged"),
         LOCAL_CHOICE, "tenders", int, "redflags", 1, 1000, basis=HEURISTIC,
         used_by="market.redflags.detectors.dominant_winner"),
    # market/redflags/detectors.py near_ceiling()
    Rule("redflag_near_ceiling_percent", D("98"),
         _l("Awarded price as a share of the ceiling price from which it is flagged"),
         LOCAL_CHOICE, "percent", Decimal, "redflags", D("50"), D("100"), basis=HEURISTIC,
         used_by="market.redflags.detectors.near_ceiling"),
    # market/redflags/detectors.py split_purchase()
    Rule("redflag_split_threshold", D("2000000.00"),
         _l("Threshold that tenders for one catalog item, each below it, together exceed "
            "(split purchase, 化整为零)"), LOCAL_CHOICE, "yuan", Decimal, "redflags",
         D("1.00"), D("100000000000.00"), basis=HEURISTIC,
         used_by="market.redflags.detectors.split_purchase"),
    Rule("redflag_split_window_days", 90,
         _l("Days between publications within which tenders for one item count together"),
         LOCAL_CHOICE, "days", int, "redflags", 1, 366, basis=HEURISTIC,
         used_by="market.redflags.detectors.split_purchase"),
    # market/redflags/detectors.py late_payment()
    Rule("redflag_payment_grace_days", 30,
         _l("Days after a milestone's due date before its payment is flagged as late"),
         LOCAL_CHOICE, "days", int, "redflags", 0, 365, basis=HEURISTIC,
         used_by="market.redflags.detectors.late_payment"),
    # market/redflags/detectors.py repeat_evaluator()
    Rule("redflag_repeat_evaluator_min", 3,
         _l("Committees in one fiscal year on which an expert scores the same organization "
            "before it is flagged"), LOCAL_CHOICE, "committees", int, "redflags", 2, 100,
         basis=HEURISTIC, used_by="market.redflags.detectors.repeat_evaluator"),
)

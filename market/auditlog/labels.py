"""Words for the audit log's codes (审计日志的动作、状态和对象类型): what readers see
instead of ``tender.publish`` or ``grant_application``.

Actions are keyed ``<object type>.<action>``, as services write them through
``services.record``; a code missing here is shown as it is (``labels`` never fails), and
``tests/auditlog/test_labels.py`` checks that every action the code base records has its
words."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from market.access.labels import ROLE_LABELS
from market.money import format_money

#: object type -> its name
OBJECT_TYPES = {
    "published_head": _l("Published ledger head"),  # 公布的台账链头
    "calendar_day": _l("Calendar day"),  # 工作日历
    "bid": _l("Bid"),  # 投标
    "tender_question": _l("Clarification question"),  # 澄清问题
    "tender": _l("Tender"),  # 采购项目
    "challenge": _l("Challenge"),  # 质疑
    "catalog": _l("Purchase catalog"),  # 购买目录
    "catalog_item": _l("Catalog item"),  # 目录项目
    "fiscal_year": _l("Fiscal year"),  # 财政年度
    "grant_round": _l("Venture philanthropy round"),  # 公益创投活动
    "grant_application": _l("Grant application"),  # 资助申请
    "grant": _l("Grant project"),  # 资助项目
    "incubation_base": _l("Incubation base"),  # 培育基地
    "incubation_residency": _l("Incubation residency"),  # 入驻培育
    "incubation_evaluation": _l("Incubation base evaluation"),  # 培育基地考核
    "incubation_reward": _l("Incubation reward"),  # 以奖代补奖励
    "organization": _l("Organization"),  # 组织
    "application": _l("Registration or filing application"),  # 登记备案申请
    "user": _l("User"),  # 用户
    "annual_report": _l("Annual report"),  # 年报
    "departure_audit": _l("Departure audit"),  # 离任审计
    "sanction": _l("Sanction"),  # 行政处罚
    "credit_entry": _l("Credit record"),  # 信用记录
    "red_flag": _l("Risk alert"),  # 风险提示
    "evaluation_request": _l("Performance evaluation request"),  # 绩效评价申请
    "milestone": _l("Contract milestone"),  # 合同履约节点
    "contract": _l("Contract"),  # 合同
    "pool_expert": _l("Pool expert"),  # 库内专家
    "expert_draw": _l("Expert draw"),  # 专家抽取
    "complaint": _l("Complaint"),  # 投诉举报
    "grade_cycle": _l("Grading cycle"),  # 等级评估周期
    "grade_evaluation": _l("Grade evaluation"),  # 等级评估
    "reexamination": _l("Re-examination"),  # 复核
    "evaluator_agency": _l("Evaluation agency"),  # 评估机构
    "agency_relation": _l("Agency relation"),  # 评估机构关联关系
    "recusal_request": _l("Recusal request"),  # 回避申请
    "town_population": _l("Town population"),  # 镇常住人口
    "document": _l("Document"),  # 文件
}

#: ``<object type>.<action>`` -> what happened
ACTIONS = {
    "published_head.publish": _l("Ledger head published"),  # 公布台账链头
    "calendar_day.set": _l("Calendar day set"),  # 设置工作日历
    "calendar_day.remove": _l("Calendar day setting removed"),  # 删除工作日历设置
    "bid.submit": _l("Bid submitted"),  # 提交投标
    "bid.revise": _l("Bid revised"),  # 修改投标
    "bid.withdraw": _l("Bid withdrawn"),  # 撤回投标
    "bid.reconfirm": _l("Bid reconfirmed"),  # 重新确认投标
    "tender_question.ask": _l("Clarification question asked"),  # 提出澄清问题
    "tender_question.answer": _l("Clarification question answered"),  # 答复澄清问题
    "tender.create": _l("Tender drafted"),  # 起草招标
    "tender.update": _l("Tender edited"),  # 编辑招标
    "tender.publish": _l("Tender published"),  # 发布招标
    "tender.reserve": _l("Tender budget reserved"),  # 预留招标预算
    "tender.amend": _l("Tender amended"),  # 更正招标公告
    "tender.cancel": _l("Tender cancelled"),  # 终止招标
    "tender.open": _l("Bids opened"),  # 已开标
    "tender.draw_committee": _l("Evaluation committee drawn"),  # 抽取评标委员会
    "tender.decline_seat": _l("Committee seat declined"),  # 谢绝评标席位
    "tender.pass_over": _l("Bidder passed over"),  # 跳过中标候选人
    "tender.award": _l("Tender awarded"),  # 确定中标
    "tender.reopen_award": _l("Award reopened"),  # 重新确定中标
    "tender.submit_scores": _l("Scores submitted"),  # 已提交评分
    "tender.evaluate": _l("Bid evaluation finished"),  # 完成评标
    "tender.declare_conflict": _l("Conflict of interest declared"),  # 已声明存在利益冲突
    "tender.declare_no_conflict": _l("No conflict of interest declared"),  # 声明无利益冲突
    "tender.contract": _l("Contract signed for the tender"),  # 招标项目签订合同
    "challenge.file": _l("Challenge filed"),  # 提出质疑
    "challenge.answer": _l("Challenge answered"),  # 答复质疑
    "challenge.supersede": _l("Challenge superseded"),  # 质疑被取代
    "catalog.create": _l("Catalog drafted"),  # 起草购买目录
    "catalog.add_item": _l("Catalog item added"),  # 添加目录项目
    "catalog.update_item": _l("Catalog item edited"),  # 编辑目录项目
    "catalog.remove_item": _l("Catalog item removed"),  # 删除目录项目
    "catalog.submit": _l("Catalog submitted"),  # 提交购买目录
    "catalog.return": _l("Catalog returned"),  # 退回购买目录
    "catalog.approve": _l("Catalog approved"),  # 批准购买目录
    "catalog_item.amend_budget": _l("Item budget amended"),  # 调整项目预算
    "catalog_item.edit_intention": _l("Procurement intention edited"),  # 修改采购意向
    "catalog_item.publish_intention": _l("Procurement intention published"),  # 公开采购意向
    "fiscal_year.close": _l("Fiscal year closed"),  # 财政年度结账
    "grant_round.create": _l("Venture philanthropy round drafted"),  # 起草公益创投活动
    "grant_round.edit": _l("Venture philanthropy round edited"),  # 编辑公益创投活动
    "grant_round.publish": _l("Venture philanthropy round published"),  # 发布公益创投活动
    "grant_round.draw_reviewers": _l("Reviewers drawn"),  # 抽取评审专家
    "grant_round.decide": _l("Funding decided"),  # 作出立项决定
    "grant_application.create": _l("Grant application drafted"),  # 起草资助申请
    "grant_application.edit": _l("Grant application edited"),  # 编辑资助申请
    "grant_application.submit": _l("Grant application submitted"),  # 提交资助申请
    "grant_application.withdraw": _l("Grant application withdrawn"),  # 撤回资助申请
    "grant_application.screen": _l("Grant application screened"),  # 资格审查
    "grant_application.declare_conflict": _l("Reviewer declared a conflict of interest"),  # 评审专家声明存在利益冲突
    "grant_application.declare_no_conflict": _l("Reviewer declared no conflict of interest"),  # 评审专家声明无利益冲突
    "grant_application.submit_scores": _l("Review scores submitted"),  # 提交评审分
    "grant_application.fund": _l("Grant application funded"),  # 予以立项
    "grant_application.not_fund": _l("Grant application not funded"),  # 不予立项
    "grant.approve": _l("Grant approved"),  # 批准资助
    "grant.sign": _l("Grant agreement signed"),  # 签订资助协议
    "grant.accept": _l("Grant agreement confirmed"),  # 确认资助协议
    "grant.report_midterm": _l("Mid-term report submitted"),  # 提交中期报告
    "grant.report_final": _l("Final report submitted"),  # 提交结项报告
    "grant.assign_midterm": _l("Mid-term evaluation assigned"),  # 委托中期评估
    "grant.assign_final": _l("Final evaluation assigned"),  # 委托结项评估
    "grant.evaluate_midterm": _l("Mid-term evaluation recorded"),  # 记录中期评估结果
    "grant.evaluate_final": _l("Final evaluation recorded"),  # 记录结项评估结果
    "grant.stop": _l("Grant stopped"),  # 终止资助
    "grant.pay": _l("Grant tranche paid"),  # 拨付资助款
    "grant.complete": _l("Grant completed"),  # 资助项目结项
    "incubation_base.create": _l("Incubation base registered"),  # 登记培育基地
    "incubation_residency.admit": _l("Organization admitted to a base"),  # 组织入驻培育基地
    "incubation_residency.graduate": _l("Organization graduated from a base"),  # 组织出壳
    "incubation_evaluation.record": _l("Incubation base evaluation recorded"),  # 记录培育基地考核
    "incubation_reward.propose": _l("Reward proposed"),  # 提出以奖代补奖励
    "incubation_reward.pay": _l("Reward paid"),  # 支付以奖代补奖励
    "incubation_reward.withdraw": _l("Reward withdrawn"),  # 撤回以奖代补奖励
    "organization.apply": _l("Organization applied"),  # 组织提出申请
    "organization.approve": _l("Organization approved"),  # 组织获准
    "organization.return": _l("Organization's application returned"),  # 组织申请退回补正
    "organization.reject": _l("Organization's application rejected"),  # 组织申请不予批准
    "organization.suspend": _l("Organization suspended"),  # 暂停组织活动
    "organization.reactivate": _l("Organization reactivated"),  # 恢复组织活动
    "organization.clear": _l("Organization cleared out"),  # 清退组织
    "organization.import": _l("Organization imported"),  # 导入组织
    "organization.change_legal_representative": _l("Legal representative changed"),  # 变更法定代表人
    "organization.sanction": _l("Organization sanctioned"),  # 组织受到行政处罚
    "organization.sanction_end": _l("Organization's sanction ended"),  # 组织行政处罚期满
    "organization.grade_correction": _l("Grade corrected"),  # 更正等级
    "organization.grade_revoke": _l("Grade revoked"),  # 撤销等级
    "organization.grade_downgrade": _l("Grade lowered"),  # 降低等级
    "organization.clearance_kept": _l("Kept on the clearance list"),  # 保留在清退名单
    "application.submit_registered": _l("Registration application submitted"),  # 提交登记申请
    "application.submit_filed": _l("Filing application submitted"),  # 提交备案申请
    "application.resubmit": _l("Application resubmitted"),  # 重新提交申请
    "application.approve": _l("Application approved"),  # 批准申请
    "application.return": _l("Application returned"),  # 退回申请补正
    "application.reject": _l("Application rejected"),  # 不予批准申请
    "user.create": _l("User created"),  # 创建用户
    "user.link_organization": _l("User linked to an organization"),  # 用户关联组织
    "user.logout_everywhere": _l("Signed out on every device"),  # 在所有设备上退出登录
    "user.two_factor_on": _l("Two-step sign-in turned on"),  # 开启两步验证
    "user.two_factor_off": _l("Two-step sign-in turned off"),  # 关闭两步验证
    "user.two_factor_reset": _l("Two-step sign-in reset"),  # 重置两步验证
    "annual_report.submit": _l("Annual report submitted"),  # 提交年报
    "annual_report.inspect": _l("Annual report inspected"),  # 年报检查
    "departure_audit.record": _l("Departure audit recorded"),  # 记录离任审计
    "sanction.record": _l("Sanction recorded"),  # 记录行政处罚
    "sanction.end": _l("Sanction ended"),  # 行政处罚期满
    "credit_entry.record": _l("Credit record entered"),  # 记录信用信息
    "red_flag.review": _l("Risk alert reviewed"),  # 复核风险提示
    "evaluation_request.request": _l("Performance evaluation requested"),  # 申请绩效评价
    "evaluation_request.assign": _l("Evaluation agency assigned"),  # 委派评价机构
    "evaluation_request.report": _l("Evaluation report submitted"),  # 提交评价报告
    "evaluation_request.cancel": _l("Evaluation request cancelled"),  # 取消绩效评价申请
    "milestone.evaluate": _l("Milestone evaluated"),  # 履约节点绩效评价
    "milestone.submit": _l("Deliverables submitted"),  # 交付成果已提交
    "milestone.accept": _l("Deliverables accepted"),  # 交付成果验收通过
    "milestone.reject": _l("Deliverables rejected"),  # 交付成果验收不通过
    "milestone.pay": _l("Milestone paid"),  # 支付节点款项
    "contract.sign": _l("Contract signed"),  # 签订合同
    "contract.accept": _l("Contract accepted by the organization"),  # 组织确认合同
    "contract.publish": _l("Contract published"),  # 公告合同
    "contract.terminate": _l("Contract terminated"),  # 终止合同
    "contract.complete": _l("Contract completed"),  # 合同履行完毕
    "pool_expert.add": _l("Expert added to the pool"),  # 专家入库
    "pool_expert.edit": _l("Expert details edited"),  # 编辑专家信息
    "pool_expert.unavailable": _l("Expert unavailability recorded"),  # 登记专家不可用期间
    "pool_expert.declare_conflict": _l("Expert conflict of interest recorded"),  # 登记专家回避关系
    "expert_draw.draw": _l("Expert draw made"),  # 随机抽取专家
    "expert_draw.replace": _l("Drawn expert replaced"),  # 替换抽取的专家
    "complaint.file": _l("Complaint filed"),  # 提交投诉举报
    "complaint.route": _l("Complaint routed"),  # 转办投诉举报
    "complaint.dismiss": _l("Complaint dismissed"),  # 投诉举报不予受理
    "complaint.respond": _l("Complaint answered"),  # 答复投诉举报
    "grade_cycle.open": _l("Grading cycle opened"),  # 开启等级评估周期
    "grade_cycle.configure": _l("Grading cycle configured"),  # 设置等级评估周期
    "grade_evaluation.apply": _l("Grade evaluation applied for"),  # 申请等级评估
    "grade_evaluation.assign": _l("Grade evaluation assigned"),  # 委派等级评估机构
    "grade_evaluation.score": _l("Grade evaluation scored"),  # 等级评估打分
    "grade_evaluation.rescore": _l("Grade evaluation sent back for rescoring"),  # 等级评估重新打分
    "grade_evaluation.notice": _l("Grade put on public notice"),  # 等级评估结果公示
    "grade_evaluation.announce": _l("Grade announced"),  # 公告评估等级
    "reexamination.request": _l("Re-examination requested"),  # 已申请复核
    "reexamination.decide": _l("Re-examination decided"),  # 作出复核决定
    "evaluator_agency.register": _l("Evaluation agency registered"),  # 登记评估机构
    "agency_relation.declare": _l("Agency relation declared"),  # 申报评估机构关联关系
    "recusal_request.request": _l("Recusal requested"),  # 申请回避
    "recusal_request.decide": _l("Recusal decided"),  # 作出回避决定
    "town_population.set": _l("Town population set"),  # 设置镇常住人口
    "document.upload": _l("Document uploaded"),  # 上传文件
}

#: a state written as from/to -> its word (other values, e.g. ``v2``, are shown as they are)
STATES = {
    "draft": _l("draft"),  # 草稿
    "published": _l("published"),  # 已发布
    "opened": _l("opened"),  # 已开标
    "evaluated": _l("evaluated"),  # 已评标
    "awarded": _l("awarded"),  # 已确定中标
    "contracted": _l("contracted"),  # 已签约
    "cancelled": _l("cancelled"),  # 已取消
    "unsuccessful": _l("unsuccessful"),  # 流标
    "submitted": _l("submitted"),  # 已提交
    "withdrawn": _l("withdrawn"),  # 已撤回
    "open": _l("open"),  # 待处理
    "answered": _l("answered"),  # 已答复
    "superseded": _l("superseded"),  # 已被取代
    "returned": _l("returned"),  # 已退回
    "approved": _l("approved"),  # 已批准
    "rejected": _l("rejected"),  # 已驳回
    "closed": _l("closed"),  # 已结账
    "workday": _l("working day"),  # 工作日
    "holiday": _l("holiday"),  # 节假日
    "resident": _l("resident"),  # 在孵
    "graduated": _l("graduated"),  # 已出壳
    "pass": _l("passed"),  # 合格
    "basic_pass": _l("basically passed"),  # 基本合格
    "fail": _l("failed"),  # 不合格
    "passed": _l("passed"),  # 合格
    "failed": _l("failed"),  # 不合格
    "proposed": _l("proposed"),  # 已提出
    "paid": _l("paid"),  # 已支付
    "pending": _l("pending"),  # 待审核
    "active": _l("active"),  # 正常
    "suspended": _l("suspended"),  # 暂停活动
    "cleared": _l("cleared out"),  # 已清退
    "in_force": _l("in force"),  # 执行中
    "ended": _l("ended"),  # 已结束
    "reviewed": _l("reviewed"),  # 已复核
    "requested": _l("requested"),  # 已申请
    "assigned": _l("assigned"),  # 已委派
    "reported": _l("reported"),  # 已报告
    "filed": _l("filed"),  # 已受理
    "routed": _l("routed"),  # 已转办
    "dismissed": _l("dismissed"),  # 不予受理
    "signed": _l("signed"),  # 已签订
    "accepted": _l("accepted"),  # 已确认
    "completed": _l("completed"),  # 已完成
    "terminated": _l("terminated"),  # 已终止
    "recorded": _l("recorded"),  # 已记录
    "stopped": _l("stopped"),  # 已终止
    "funded": _l("funded"),  # 已立项
    "not_funded": _l("not funded"),  # 未立项
    "eligible": _l("passed screening"),  # 通过资格审查
    "ineligible": _l("did not pass screening"),  # 未通过资格审查
    "applied": _l("applied"),  # 已申报
    "scored": _l("scored"),  # 已打分
    "notice": _l("on public notice"),  # 公示中
    "announced": _l("announced"),  # 已公告
}


def object_label(object_type: str | None) -> str:
    return str(OBJECT_TYPES.get(object_type or "", object_type or ""))


def action_label(object_type: str | None, action: str | None) -> str:
    return str(ACTIONS.get(f"{object_type}.{action}", action or ""))


#: Actions whose to-value is a role (a new user's).
ROLE_ACTIONS = frozenset({"user.create"})
#: Actions whose from/to values are amounts (shown as money, not as a state).
AMOUNT_ACTIONS = frozenset({"catalog_item.amend_budget"})


def state_label(state: str | None, object_type: str | None = None,
                action: str | None = None) -> str:
    """A from/to value in words; an amount (a budget amendment's) as money."""
    if state is None:
        return ""
    if f"{object_type}.{action}" in ROLE_ACTIONS:
        return str(ROLE_LABELS.get(state, state))
    if f"{object_type}.{action}" in AMOUNT_ACTIONS:
        try:
            return format_money(Decimal(state))
        except (InvalidOperation, ValueError):
            return state
    return str(STATES.get(state, state))


def object_choices() -> list[tuple[str, str]]:
    """(code, words) of every object type, sorted by the words in the reader's language."""
    return sorted(((code, str(words)) for code, words in OBJECT_TYPES.items()),
                  key=lambda c: c[1])


def action_choices(object_type: str | None = None) -> list[tuple[str, str]]:
    """(``type.action``, words) of every labelled action (of one object type when given)."""
    return sorted(((code, str(words)) for code, words in ACTIONS.items()
                   if object_type is None or code.partition(".")[0] == object_type),
                  key=lambda c: c[1])


def action_groups(object_type: str | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """The labelled actions grouped by object type (words, choices), for the filter's
    drop-down; one group when an object type is chosen."""
    kinds = [object_type] if object_type else [code for code, _ in object_choices()]
    return [(object_label(kind), choices) for kind in kinds
            if (choices := action_choices(kind))]

"""Select rules on synthetic units (not eval questions): which sentences and clauses answer."""

from __future__ import annotations

from assistant.passage import complete, unquoted_label
from assistant.question import Question, understand
from assistant.route import route
from assistant.select import (
    best_sentences,
    bounds,
    direct_answer,
    extreme_entry,
    unstated_kind,
    vocabulary_for,
)
from assistant.types import Chunk


def _q(text: str) -> Question:
    return understand(route(text, {}))


def _answer(text: str, chunk: Chunk) -> tuple[str, str]:
    q = _q(text)
    vocab = vocabulary_for([chunk])
    sentences = best_sentences(q, chunk, vocab)
    return direct_answer(q, sentences, vocab), complete(q, sentences, chunk)


def test_a_heading_alone_is_never_the_answer() -> None:
    unit = Chunk("d", "三（二）4", "4．培育龙头机构。对新认定的龙头机构，给予一次性奖励30万元。")
    q = _q("培育龙头机构的奖励是多少钱")
    chosen = best_sentences(q, unit, vocabulary_for([unit]))
    assert [s.text for s in chosen] == ["对新认定的龙头机构，给予一次性奖励30万元。"]


def test_a_unit_that_is_only_a_short_item_is_still_its_own_answer() -> None:
    unit = Chunk("d", "第五条（三）", "（三）有固定的办公场所。")
    chosen = best_sentences(_q("要有办公场所吗"), unit, vocabulary_for([unit]))
    assert [s.text for s in chosen] == ["（三）有固定的办公场所。"]


def test_a_list_question_gets_every_item() -> None:
    unit = Chunk(
        "d", "第九条",
        "第九条 申请认定应当提交下列材料：\n（一）申请书；\n（二）营业执照复印件；\n（三）场地租赁合同；\n（四）入驻机构名录。",
    )
    _, quote = _answer("申请认定要交哪些材料", unit)
    for item in ("申请书", "营业执照复印件", "场地租赁合同", "入驻机构名录"):
        assert item in quote


def test_the_extreme_entry_of_a_table_of_tiers() -> None:
    """最高/最多 asked of a tier table answers the top tier with its condition; 起步/最低 the first."""
    table = Chunk(
        "d", "（三）（1）",
        "（1）营业收入1000万元至3000万元（含1000万元，不含3000万元）的，奖励8万元；"
        "3000万元至1亿元（含3000万元，不含1亿元）的，奖励20万元；"
        "1亿元及以上的，奖励50万元。所需资金从专项资金列支。",
    )
    assert extreme_entry(_q("规模奖励最高能拿多少"), table) == "1亿元及以上的，奖励50万元。"
    assert extreme_entry(_q("从多少营收起步"), table) == "营业收入1000万元至3000万元（含1000万元，不含3000万元）的，奖励8万元。"
    assert extreme_entry(_q("规模奖励能拿多少"), table) is None  # not asked for an end of the table
    single = Chunk("d", "1", "给予一次性奖励5万元，最高不超过10万元。")
    assert extreme_entry(_q("最高奖励多少"), single) is None  # not a table


def test_qualifiers_between_the_answering_clauses_stay() -> None:
    unit = Chunk(
        "d", "第六条（二）",
        "（二）入驻机构数量。只设立一个园区的，入驻人力资源服务机构不少于25家；"
        "设立多个园区的，核心园区入驻机构不少于15家，各分园区合计不少于25家。",
    )
    lead, _ = _answer("入驻机构数量要求是多少家", unit)
    assert "……" not in lead
    assert "只设立一个园区的" in lead or "设立多个园区的" in lead
    if "不少于25家" in lead and "不少于15家" in lead:
        assert "设立多个园区的" in lead


def test_a_condition_before_the_answering_clause_stays_with_it() -> None:
    unit = Chunk(
        "d", "第八条",
        "第八条 对年度考核优秀的园区，由市财政给予运营补助，补助标准由主管部门另行制定，"
        "考核结果向社会公布，连续两年考核优秀的，一次性奖励40万元。",
    )
    lead, _ = _answer("连续两年考核优秀奖励多少钱", unit)
    assert lead.startswith("连续两年考核优秀的，") and "40万元" in lead


def test_a_unit_that_states_no_amount_is_said_to_state_none() -> None:
    vague = Chunk("d", "第十条", "第十条 对被认定的孵化基地，按规定给予一次性奖补。")
    assert unstated_kind(_q("孵化基地的奖补金额是多少钱"), vague) == "金额"
    stated = Chunk("d", "第十条", "第十条 对被认定的孵化基地，给予一次性奖补10万元。")
    assert unstated_kind(_q("孵化基地的奖补金额是多少钱"), stated) == ""
    assert unstated_kind(_q("孵化基地有什么政策"), vague) == ""  # not asked for an amount


def test_the_quote_does_not_repeat_the_cited_label() -> None:
    unit = Chunk("d", "第十五条", "第十五条 本办法自2025年1月1日起施行。")
    assert unquoted_label(unit.text, unit) == "本办法自2025年1月1日起施行。"
    item = Chunk("d", "第五条", "（三）有固定的办公场所。")
    assert unquoted_label(item.text, item) == item.text  # (三) is more than the cited label says


def test_a_sentence_introducing_a_list_brings_its_items_when_another_follows_it() -> None:
    unit = Chunk(
        "d",
        "第八条",
        "第八条 对入驻机构按照以下标准给予装修补贴：\n（一）第一年每平方米90元；\n（二）第二年每平方米40元。\n"
        "补贴面积每家不超过300平方米，装修补贴不超过实际支出的50%。",
    )
    q = _q("装修补贴标准是什么")
    sentences = best_sentences(q, unit, vocabulary_for([unit]))
    assert sentences[-1].text.startswith("补贴面积") and any(s.text.endswith("：") for s in sentences[:-1])
    quote = unquoted_label(complete(q, sentences, unit), unit)
    assert "第一年每平方米90元" in quote and "第二年每平方米40元" in quote and quote.endswith("50%。")
    assert not quote.startswith("第八条")


def test_a_homophone_typo_of_a_corpus_word_is_not_an_unknown_subject() -> None:
    from assistant.coverage import unknown_share

    unit = Chunk("d", "第三条", "第三条 市人社局负责产业园的认定和管理，所需经费由市财政保障。")
    vocab = vocabulary_for([unit])
    share, unknown = unknown_share(_q("产业园认定归人设局管吗"), vocab)
    assert unknown == [] and share == 0  # 设局 sounds like the corpus word 社局
    share, unknown = unknown_share(_q("产业园认定归税务局管吗"), vocab)
    assert "税务局" in unknown and share > 0


def test_words_naming_the_kind_of_answer_are_not_the_subject() -> None:
    from assistant.question import content_words

    assert content_words("申报条件原文是怎么写的") == ["申报"]
    assert "数量" not in content_words("入驻机构数量要多少家")


def test_the_most_of_one_unit_is_the_sentence_stating_that_bound() -> None:
    unit = Chunk(
        "d", "第十三条",
        "第十三条 对租用办公面积不低于120平方米的机构，给予房租补贴，标准为每月每平方米25元。\n"
        "房租补贴面积每家机构不超过300平方米；补贴金额不超过实际缴纳租金的70%。",
    )
    q = _q("房租补贴面积最多多少")
    chosen = best_sentences(q, unit, vocabulary_for([unit]))
    assert "不超过300平方米" in "".join(s.text for s in chosen)
    assert "120平方米" not in "".join(s.text for s in chosen)


def test_the_bound_that_answers_is_a_bound_of_the_asked_kind() -> None:
    """"最长3年" bounds a period; asked 面积最多多少, the sentence bounding an area answers."""
    unit = Chunk(
        "d", "第八条",
        "第八条 对租用办公面积不低于120平方米的机构给予房租补贴，每月每平方米25元，补贴期限最长3年。\n"
        "房租补贴面积以300平方米以内为限。",
    )
    vocab = vocabulary_for([unit])
    area = "".join(s.text for s in best_sentences(_q("补贴面积最多多少"), unit, vocab))
    assert "300平方米以内" in area and "120平方米" not in area
    period = "".join(s.text for s in best_sentences(_q("补贴期限最长几年"), unit, vocab))
    assert "最长3年" in period


def test_asked_what_one_gets_the_granting_sentence_answers() -> None:
    unit = Chunk(
        "d", "四",
        "四、每年对入驻机构开展评定：得分90分及以上的为一等，80分至90分的为二等。一等机构次年享受房租补贴标准上浮10%。",
    )
    q = _q("评上一等的机构有啥好处")
    assert q.kind == "benefit"
    chosen = "".join(s.text for s in best_sentences(q, unit, vocabulary_for([unit])))
    assert "上浮10%" in chosen and "90分及以上" not in chosen


def test_bounds_reads_the_cue_beside_a_figure_of_the_kind() -> None:
    assert bounds("补贴期限最长3年，面积不超过300平方米", "max", "area")
    assert not bounds("面积不低于120平方米，补贴期限最长3年", "max", "area")
    assert bounds("面积不低于120平方米，补贴期限最长3年", "min", "area")
    assert bounds("补贴期限最长3年", "max", None)


def test_a_message_asking_two_things_gets_both() -> None:
    unit = Chunk(
        "d", "第二十一条",
        "第二十一条 市人社部门每两年对市级产业园开展一次综合评估。评估结果分为优秀、合格、不合格三个等次。"
        "评估为优秀的，给予运营机构一次性奖励60万元。",
    )
    q = _q("多久评估一次？评了优秀奖多少")
    assert {q.kind, *q.also} == {"frequency", "amount"}
    chosen = "".join(s.text for s in best_sentences(q, unit, vocabulary_for([unit])))
    assert "每两年" in chosen and "60万元" in chosen
    assert _q("评了优秀奖多少").also == ()


def test_a_year_in_a_named_title_is_not_the_day_asked_about() -> None:
    from assistant.question import date_in

    assert date_in("《某市三年行动计划（2025—2027年）》落户奖励分几年给") is None
    assert date_in("《某市三年行动计划（2025—2027年）》2027年3月还有效吗") == __import__("datetime").date(2027, 3, 1)


def test_a_draft_mark_naming_the_version_is_not_a_question_about_drafts() -> None:
    assert not _q("那个补贴措施征求意见稿，意见反馈截止到哪天").about_draft
    assert not _q("那个补贴措施征求意见稿，意见反馈截止到哪天").about_validity
    assert _q("那个补贴措施是征求意见稿吗").about_draft
    assert _q("这个措施正式发布了没有").about_draft
    assert _q("新办法替代了哪个老文件").about_validity


def test_a_table_row_is_read_with_its_header_and_quoted_under_it() -> None:
    unit = Chunk(
        "d", "附表1",
        "附表1　认定指标表\n指标｜单一园区｜多个园区的核心园区\n园区建筑面积｜不低于15000平方米｜不低于10000平方米\n"
        "入驻机构数量｜不少于40家｜不少于30家\n注：设立多个园区的，入驻机构总数不少于50家。",
    )
    q = _q("单一园区要求入驻多少家机构")
    sentences = best_sentences(q, unit, vocabulary_for([unit]))
    assert sentences[0].text == "入驻机构数量｜不少于40家｜不少于30家"
    assert sentences[0].header == "指标｜单一园区｜多个园区的核心园区"
    quote = complete(q, sentences, unit)
    assert quote.split("\n")[:2] == ["指标｜单一园区｜多个园区的核心园区", "入驻机构数量｜不少于40家｜不少于30家"]


def test_the_word_after_the_question_word_is_what_is_asked() -> None:
    unit = Chunk(
        "d", "第九条",
        "第九条 市人社局自申报截止之日起20个工作日内完成审核，审核结果公示5个工作日。公示无异议的，由市财政局在10个工作日内拨付资金。",
    )
    chosen = "".join(s.text for s in best_sentences(_q("审核公示多久拨付"), unit, vocabulary_for([unit]), limit=1))
    assert "10个工作日内拨付" in chosen


def test_asked_what_one_must_meet_the_sentence_setting_requirements_answers() -> None:
    unit = Chunk(
        "d", "一（2）",
        "（2）支持各区建设分园区。申请建设分园区的，一是要有不少于3000平方米的办公场所，二是入驻机构不少于10家。验收合格的，给予补助50万元。",
    )
    q = _q("想建分园区要满足什么条件")
    assert q.kind == "condition"
    chosen = "".join(s.text for s in best_sentences(q, unit, vocabulary_for([unit])))
    assert "不少于3000平方米" in chosen


def test_asked_the_top_tier_a_unit_pointing_to_a_table_yields_to_the_table() -> None:
    from assistant.select import targets
    from assistant.types import Hit

    pointer = Chunk(
        "d", "第十四条",
        "第十四条 对上一年度营业收入达到1000万元以上的入驻机构，按照附件2规定的标准给予营业收入奖励。"
        "同一机构每年按照最高一档享受奖励。",
    )
    table = Chunk(
        "d", "附件2",
        "附件2：营业收入奖励标准表\n年营业收入1000万元至3000万元（含1000万元，不含3000万元）：奖励10万元\n"
        "年营业收入3000万元至1亿元（含3000万元，不含1亿元）：奖励40万元\n年营业收入1亿元及以上：奖励80万元",
    )
    hits = [Hit(pointer, 1.0, "fused"), Hit(table, 0.6, "fused")]
    vocab = vocabulary_for([pointer, table])
    assert targets(_q("营收奖励最高一档是多少"), hits, vocab) == [table]
    assert targets(_q("营收奖励按什么标准给"), hits, vocab) == [pointer]  # no extreme asked


def test_a_short_annex_is_quoted_whole_with_its_notes() -> None:
    table = Chunk(
        "d", "附件2",
        "附件2：输送奖补标准\n普通劳动者：每人500元\n技能人员：每人1000元\n注：同一劳动者符合多项标准的，按照最高一项计算。",
    )
    q = _q("技能人员每人补多少")
    quote = complete(q, best_sentences(q, table, vocabulary_for([table])), table)
    assert "每人1000元" in quote and "按照最高一项计算" in quote  # the note limits the row


def test_a_question_about_two_documents_gets_an_answer_line_for_each() -> None:
    import datetime as dt

    from assistant.answer import compose
    from assistant.types import DocumentMeta, Hit

    docs = {
        "a": DocumentMeta(doc_id="a", title="甲市产业园管理办法", places=("甲市",)),
        "b": DocumentMeta(doc_id="b", title="乙市产业园扶持办法", places=("乙市",)),
    }
    ua = Chunk("a", "第九条", "第九条 申报认定的，由市人社局组织评审，自受理之日起30个工作日内完成评审，评审结果公示5个工作日。", title=docs["a"].title)
    ub = Chunk("b", "第七条", "第七条 申报认定的，由区人社局初审后报市人社局，自受理之日起20个工作日内完成评审，结果公示7个工作日。", title=docs["b"].title)
    q = understand(route("甲市和乙市的评审分别多少个工作日内完成", docs))
    assert set(q.intent.doc_ids) == {"a", "b"}
    answer = compose(q, [Hit(ua, 1.0, "fused"), Hit(ub, 0.9, "fused")], docs, [ua, ub], dt.date(2026, 12, 2))
    lines = answer.answer.split("\n")
    assert any(line.startswith("《甲市产业园管理办法》：") and "30个工作日内完成评审" in line for line in lines)
    assert any(line.startswith("《乙市产业园扶持办法》：") and "20个工作日内完成评审" in line for line in lines)


def test_asked_how_often_the_sentence_stating_a_period_answers() -> None:
    unit = Chunk(
        "d", "5（1）",
        "（1）区人社局自受理之日起20个工作日内完成审核。补贴按季度申领，申领单位应当在每季度结束后15日内提交材料。",
    )
    q = _q("这个补贴多久申领一次")
    assert q.kind == "frequency"
    chosen = "".join(s.text for s in best_sentences(q, unit, vocabulary_for([unit]), limit=1))
    assert "按季度申领" in chosen
    assert _q("综合评估几年搞一次").kind == "frequency" and _q("审核要多久").kind == "duration"


def test_an_item_brought_by_its_list_intro_is_not_quoted_twice() -> None:
    unit = Chunk(
        "d", "第八条",
        "第八条 对上一年度营业收入达到1500万元以上的入驻机构，按照以下标准给予规模奖励：\n"
        "（一）营业收入1500万元至4000万元的，奖励8万元；\n（二）营业收入4000万元及以上的，奖励18万元。",
    )
    from assistant.select import split_sentences

    sentences = split_sentences(unit)
    intro = next(s for s in sentences if s.text.endswith("："))
    last = next(s for s in sentences if "18万元" in s.text)
    quote = complete(_q("规模奖励分别多少"), [intro, last], unit)
    assert quote.count("奖励18万元") == 1 and "奖励8万元" in quote


def test_asked_the_most_a_unit_stating_that_bound_is_kept_over_a_table_of_tiers() -> None:
    from assistant.select import targets
    from assistant.types import Hit

    capped = Chunk("d", "第3段", "对新聘任的机构高管，给予一次性奖励2万元，每家机构每年申报人数不超过3人。")
    table = Chunk(
        "d", "第4段",
        "新取得一级证书的，奖励5000元；新取得二级证书的，奖励3000元；新取得三级证书的，奖励1000元。",
    )
    hits = [Hit(capped, 1.0, "fused"), Hit(table, 0.9, "fused")]
    vocab = vocabulary_for([capped, table])
    assert targets(_q("一家机构一年最多报几个人"), hits, vocab) == [capped]
    # a cap on the total is a bound, but 最高一档 asks for the top tier of the table
    pointer = Chunk("d", "第5段", "证书奖励按第4段的标准发放，每家机构每年证书奖励累计不超过5万元。")
    hits = [Hit(pointer, 1.0, "fused"), Hit(table, 0.9, "fused")]
    vocab = vocabulary_for([pointer, table])
    assert targets(_q("证书奖励最高一档多少钱"), hits, vocab) == [table]
    assert targets(_q("证书奖励最多能拿多少钱"), hits, vocab) == [pointer]


def test_a_heading_named_by_its_label_is_quoted_with_every_unit_under_it_in_order() -> None:
    import datetime as dt

    from assistant.answer import compose
    from assistant.types import DocumentMeta, Hit

    docs = {"d": DocumentMeta(doc_id="d", title="某省人力资源服务业发展规划")}
    units = [
        Chunk("d", "第三部分1", "1.优化布局。形成一核多点的空间布局。", "第三部分 重点任务", order=1),
        Chunk("d", "第三部分2", "2.培育市场主体。", "第三部分 重点任务", order=2),
        Chunk("d", "第三部分2①", "①实施骨干企业培育计划；", "第三部分 重点任务 / 2.培育市场主体。", order=3),
        Chunk("d", "第三部分2②", "②培育细分领域特色机构。", "第三部分 重点任务 / 2.培育市场主体。", order=4),
        Chunk("d", "第四部分1", "1.加强组织领导。", "第四部分 保障措施", order=5),
    ]
    q = understand(route("那个规划第三部分讲的啥", docs))
    assert q.wants_whole
    hits = [Hit(units[3], 1.5, "exact"), Hit(units[0], 1.4, "exact"), Hit(units[2], 1.3, "exact")]
    answer = compose(q, hits, docs, units, dt.date(2026, 12, 2), by_doc={"d": units})
    text = answer.answer
    assert "第三部分规定：" in text and "第四部分" not in text
    order = [text.index(t) for t in ("一核多点", "培育市场主体", "骨干企业", "细分领域")]
    assert order == sorted(order) and text.count("骨干企业") == 1


def test_two_clauses_each_with_a_question_word_each_get_their_sentence() -> None:
    unit = Chunk(
        "d", "第十三条",
        "第十三条 市人社局负责综合评估。市人社局一般每两年评估一次。县级人社部门每年要开展一次园区自评工作，"
        "保障园区规范运营，园区自评情况于当年6月底报送市人社局。",
    )
    q = _q("多久评估一次，县里园区自评情况啥时候报送市人社局")
    chosen = "".join(s.text for s in best_sentences(q, unit, vocabulary_for([unit])))
    assert "每两年评估一次" in chosen and "6月底" in chosen


def test_the_unit_stating_when_a_document_applies_is_not_one_mentioning_its_start() -> None:
    from assistant.retrieve import validity_unit

    units = [
        Chunk("d", "7.1", "7.1 本细则自2026年6月1日起施行，有效期至2029年5月31日。"),
        Chunk("d", "7.2", "7.2 本细则施行前已获得奖励的机构，按照本细则补足差额。"),
    ]
    assert validity_unit(units) == units[0]
    assert _q("这个细则把哪个旧文件废了").about_validity


def test_a_list_the_unit_only_points_to_is_answered_with_the_annex() -> None:
    import datetime as dt

    from assistant.answer import compose
    from assistant.types import DocumentMeta, Hit

    docs = {"d": DocumentMeta(doc_id="d", title="某市扶持资金申报指南")}
    how = Chunk("d", "七", "七、申报方式\n●申请扶持资金的单位网上填报，纸质材料一式两份；\n●申报材料具体见附件《申报材料清单》。", order=1)
    annex = Chunk("d", "附件", "附件\n申报材料清单\n1.申请表；\n2.营业执照复印件；\n3.信用承诺书。", order=2)
    q = understand(route("扶持资金申报要交哪些材料", docs))
    answer = compose(q, [Hit(how, 1.0, "fused")], docs, [how, annex], dt.date(2026, 12, 2), by_doc={"d": [how, annex]})
    assert "信用承诺书" in answer.answer and {c.article for c in answer.citations} == {"七", "附件"}
    assert understand(route("这个办法到哪天为止", docs)).about_validity


def test_how_much_of_a_ratio_asks_a_percent_not_an_amount() -> None:
    """"各退多少比例" / "补贴比例是多少" ask a ratio: the sentence stating a percent answers,
    not one stating yuan."""
    unit = Chunk(
        "d", "第九条",
        "第九条 房租补贴每家每年最高不超过8万元。不满2年迁出的，退回已享受房租补贴的40%。",
    )
    vocab = vocabulary_for([unit])
    for question in ("迁出的话房租补贴要退多少比例", "房租补贴退回比例是多少"):
        q = _q(question)
        assert q.kind == "percent"
        assert "40%" in "".join(s.text for s in best_sentences(q, unit, vocab))
    assert _q("房租补贴最多多少").kind == "amount"


def test_a_list_item_is_read_with_the_introduction_it_answers_under() -> None:
    """"（一）园区建筑面积不少于6000平方米" says nothing of 市级产业园 by itself; its introduction
    ("申请认定市级产业园，应当具备以下条件：") does. Asked the 市级产业园's area, that item
    answers — not a sentence elsewhere that names 市级产业园 and some other area."""
    from assistant.select import rerank
    from assistant.types import Hit

    conditions = Chunk(
        "d", "第7条",
        "第7条 申请认定市级产业园，应当具备以下条件：\n（一）园区建筑面积不少于6000平方米；\n（二）有专门的运营机构。",
    )
    rent = Chunk("d", "第10条", "第10条 入驻市级产业园且入驻面积不少于80平方米的机构，给予3年房租补贴。")
    vocab = vocabulary_for([conditions, rent])
    q = _q("市级产业园的面积要求是多少平方米")
    assert rerank(q, [Hit(conditions, 0.8, "fused"), Hit(rent, 0.7, "fused")], vocab) is conditions
    assert "6000平方米" in "".join(s.text for s in best_sentences(q, conditions, vocab))


# Other units of a policy, so that words every unit uses (产业园, 入驻机构, 补贴) weigh little
_PARK_UNITS = [
    Chunk("d", f"第{n}条", f"第{n}条 入驻产业园的机构{topic}，给予补贴。")
    for n, topic in enumerate(("租用办公用房", "引进人才", "营业收入增长", "开展培训", "举办招聘活动", "申报市级产业园"))
]


def test_a_unit_whose_heading_the_question_names_is_about_it() -> None:
    """Asked 装修补贴咋算, the unit headed 装修补贴 answers — not a unit on refunds that names
    装修补贴 in passing among more of the question's words."""
    from assistant.select import rerank
    from assistant.types import Hit

    refund = Chunk(
        "d", "6.4",
        "6.4 入驻机构享受房租补贴或者装修补贴后不满3年迁出产业园的，退回已享受的全部房租补贴和装修补贴。",
    )
    fitting = Chunk("d", "2.2", "2.2 装修补贴。入驻机构自行装修办公用房的，按照实际装修投入的30%给予一次性补贴。")
    vocab = vocabulary_for([refund, fitting, *_PARK_UNITS])
    q = _q("产业园的装修补贴咋算的")
    assert rerank(q, [Hit(refund, 1.0, "fused"), Hit(fitting, 0.97, "fused")], vocab) is fitting


def test_a_list_question_is_answered_by_a_unit_that_is_a_list() -> None:
    """Asked 要准备哪些材料, the 申报材料清单 (a numbered list) answers — not the article on
    when to apply, though it shares more words."""
    from assistant.select import rerank
    from assistant.types import Hit

    when = Chunk("d", "第五条", "第五条 市级产业园每年集中申报一次，申报时间为每年3月1日至3月31日。")
    annex = Chunk(
        "d", "附件1",
        "附件1：申报材料清单\n1. 产业园申报表；\n2. 园区建设发展规划；\n3. 入驻机构名单。\n以上材料一式3份。",
    )
    vocab = vocabulary_for([when, annex, *_PARK_UNITS])
    q = _q("申报市级产业园要准备哪些材料")
    assert q.wants_list
    assert rerank(q, [Hit(when, 1.0, "fused"), Hit(annex, 0.75, "fused")], vocab) is annex


def test_a_word_jieba_cut_across_a_boundary_still_finds_its_sentence() -> None:
    """"规划期是哪几年" is cut 规划/期是: the sentence saying 规划期 answers, not one saying only
    规划 with a year in it."""
    from assistant.select import rerank
    from assistant.types import Hit

    ends = Chunk("d", "附则2", "2.本规划自印发之日起实施，有效期至2028年12月31日。")
    preface = Chunk("d", "序言", "为推动人力资源服务业发展，编制本规划。规划期为2024年至2028年。")
    vocab = vocabulary_for([ends, preface, *_PARK_UNITS])
    q = _q("这个规划的规划期是哪几年")
    assert rerank(q, [Hit(ends, 0.94, "fused"), Hit(preface, 0.92, "fused")], vocab) is preface
    assert "2024年至2028年" in "".join(s.text for s in best_sentences(q, preface, vocab))


def test_a_question_asking_what_follows_a_breach_gets_the_sentence_stating_it() -> None:
    """"什么时候报？老不报有啥后果": the deadline and the sanction (暂停/取消/追回…) both answer,
    though the sanction shares no word with the question."""
    unit = Chunk(
        "d", "5.2",
        "5.2 入驻机构应当于每季度结束后10日内报送营业收入等统计数据。连续3个季度未按时报送的，取消其当年评优资格。",
    )
    q = _q("入驻机构统计数据什么时候报？老不报有啥后果")
    assert q.kind == "consequence" and "date" in q.also
    chosen = "".join(s.text for s in best_sentences(q, unit, vocabulary_for([unit, *_PARK_UNITS])))
    assert "10日内" in chosen and "取消其当年评优资格" in chosen


def test_tiers_written_as_points_of_their_own_answer_the_top_tier_from_the_point_holding_it() -> None:
    """最高一档 where each tier is a point (四.…：① ② ③), and the best hit is a note under the
    last point: the point holding the top tier answers, with its condition."""
    from assistant.select import targets, tier_answer
    from assistant.types import Hit

    parent = Chunk("d", "四", "四.规模奖励。入驻机构年度营业收入达到下列标准的，给予一次性奖励：")
    low = Chunk("d", "四①", "①800万元（含）至2000万元（不含）的，奖励4万元；")
    mid = Chunk("d", "四②", "②2000万元（含）至5000万元（不含）的，奖励9万元；")
    top = Chunk("d", "四③", "③5000万元（含）以上的，奖励18万元。\n已获奖励后营业收入升档的，不再补差。")
    note = Chunk("d", "五", "五.同一档次奖励只享受一次，升入更高档次的按差额补足。")
    by_doc = {"d": [parent, low, mid, top, note]}
    q = _q("规模奖励最高一档是多少")
    assert tier_answer(q, top, by_doc) == (top, "5000万元（含）以上的，奖励18万元。")
    assert tier_answer(q, low, by_doc) == (top, "5000万元（含）以上的，奖励18万元。")
    assert tier_answer(_q("规模奖励最低一档是多少"), top, by_doc) == (low, "800万元（含）至2000万元（不含）的，奖励4万元。")
    assert tier_answer(_q("规模奖励有哪几档"), top, by_doc) is None  # no end of the table asked
    vocab = vocabulary_for(by_doc["d"])
    hits = [Hit(note, 1.0, "fused"), Hit(mid, 0.7, "fused")]
    assert targets(q, hits, vocab, by_doc) == [mid]  # a point of the table, not the note beside it


def test_a_cap_stated_by_the_unit_is_not_replaced_by_its_neighbours_tiers() -> None:
    """封顶 asked of a unit stating its own cap: the cap answers, not the largest figure nearby."""
    from assistant.select import tier_answer

    cap = Chunk("d", "二（一）②", "②房租补贴每家机构每年最高不超过12万元。")
    rows = [Chunk("d", f"二（一）{m}", f"{m}第{n}年按每平方米{p}元补贴，合计不超过{a}万元。") for m, n, p, a in
            (("①", "一", 30, 20), ("③", "二", 20, 30), ("④", "三", 10, 40))]
    by_doc = {"d": [rows[0], cap, *rows[1:]]}
    assert tier_answer(_q("房租补贴每年封顶多少"), cap, by_doc) is None


def test_questions_asked_one_after_another_each_get_their_sentence() -> None:
    """"X面积要求多少？Y的呢": both asked parts answer from the unit, the second asking the same kind."""
    unit = Chunk("d", "一（二）1", "（1）场地要求：实际租用办公面积不少于200平方米；省级龙头企业设立的分公司不少于90平方米。")
    _, quote = _answer("入驻面积要求多少？龙头企业的分公司呢", unit)
    assert "不少于200平方米" in quote and "不少于90平方米" in quote


def test_the_points_of_a_run_in_list_share_what_is_said_before_the_first() -> None:
    """"到2030年底，一是…；二是…家；三是…家次": a count asked with the year finds the point about
    机构, read with the year said once before 一是 — not a later point matching only 年."""
    unit = Chunk(
        "d", "一",
        "一、发展目标\n到2030年底，一是园区面积达到2万平方米；二是入驻服务机构不少于40家；"
        "三是机构年营业收入达到9亿元，年服务企业不少于5000家次。",
    )
    q = _q("到2030年要引进多少家机构")
    chosen = best_sentences(q, unit, vocabulary_for([unit]))
    assert chosen[0].text == "二是入驻服务机构不少于40家；"


def test_when_asks_for_a_day_or_window_not_a_yearly_amount() -> None:
    """"每年啥时候报" asks a date: the sentence naming days answers, not "每年最高不超过…"; a unit
    stating one is looked for past the first few hits when none of them does."""
    from assistant.select import targets
    from assistant.types import Hit

    reward = [Chunk("d", f"第{n}条", f"第{n}条 对{w}达到{a}万元以上的，给予奖励，每家机构每年最高不超过{c}万元。")
              for n, w, a, c in (("二", "营业收入", 1000, 50), ("三", "纳税", 40, 45), ("四", "营收增量", 500, 20))]
    window = Chunk("d", "第六条", "第六条 本办法规定的奖励每年申报一次，申报时间为每年5月1日至5月31日。")
    q = _q("营收奖励、纳税奖励每年啥时候报")
    assert q.kind == "date"
    hits = [Hit(c, 1.0 - i / 10, "fused") for i, c in enumerate([*reward, window])]
    assert targets(q, hits, vocabulary_for([*reward, window])) == [window]


def test_a_cap_asked_naming_only_the_recipient_is_the_cap_over_every_benefit() -> None:
    """"一家机构一年封顶多少" names no benefit: the cap over all of them answers, wherever it
    stands among the hits; "房补一年封顶多少" keeps the cap of the benefit it names."""
    from assistant.select import targets
    from assistant.types import Hit

    rent = Chunk("d", "三", "三、房租补贴每家机构每年最高不超过6万元。")
    talent = Chunk("d", "六", "六、证书奖励和生活补助每家机构每年合计不超过4万元。")
    total = Chunk("d", "七", "七、一是每年申报一次；二是同一入驻机构每年享受各项扶持资金合计不超过50万元。")
    units = [rent, talent, total]
    hits = [Hit(c, 1.0 - i / 10, "fused") for i, c in enumerate(units)]
    vocab = vocabulary_for(units)
    q = _q("一家机构一年封顶多少")
    assert targets(q, hits, vocab) == [total]
    assert [s.text for s in best_sentences(q, total, vocab)] == ["二是同一入驻机构每年享受各项扶持资金合计不超过50万元。"]
    assert targets(_q("房租补贴一年封顶多少"), hits, vocab) == [rent]


def test_a_heading_named_by_its_words_brings_every_unit_under_it() -> None:
    """"营收奖励的档次标准那段原文": the points under the deepest heading the question names
    ("（1）档次标准"), not the note beside them under the wider one ("1.营收奖励")."""
    from assistant.passage import under_named_heading
    from assistant.types import Hit

    wide, deep = "二、扶持内容 / 1.营收奖励", "二、扶持内容 / 1.营收奖励 / （1）档次标准"
    points = [Chunk("d", f"二1（1）{m}", f"{m}营业收入{a}亿元以上的，奖励{r}万元；", deep) for m, a, r in
              (("①", 1, 10), ("②", 3, 30), ("③", 6, 60))]
    note = Chunk("d", "二1（2）", "（2）补差规则。同一档次只奖励一次。", wide)
    other = Chunk("d", "三", "三、其他。本办法自印发之日起施行。")
    by_doc = {"d": [*points, note, other]}
    hits = [Hit(note, 1.0, "fused"), Hit(points[2], 0.9, "fused")]
    q = _q("营收奖励的档次标准那段原文发我")
    assert under_named_heading(q, hits, by_doc) == points
    assert under_named_heading(_q("营收奖励那部分原文发我"), hits, by_doc) == [*points, note]
    assert under_named_heading(_q("补差规则原文"), [Hit(other, 1.0, "fused")], by_doc) == []


def test_the_top_of_a_table_of_amounts_leads_no_answer_about_an_area() -> None:
    """"补贴面积上限" asked of a table of amounts and areas: the table is quoted, and no reward
    tier is put forward as the answer."""
    import datetime as dt

    from assistant.answer import compose
    from assistant.types import DocumentMeta, Hit

    table = Chunk(
        "d", "附件2",
        "附件2 扶持标准表\n项目 | 条件或档次 | 标准 | 上限\n房租补贴 | 第一年 | 每月每平方米25元 | 补贴面积300平方米\n"
        "营收奖励 | 1000万元（含）至5000万元（不含） | 10万元 | —\n营收奖励 | 5000万元（含）至5亿元（不含） | 40万元 | —\n"
        "营收奖励 | 5亿元（含）以上 | 100万元 | —",
    )
    docs = {"d": DocumentMeta(doc_id="d", title="某区扶持通知")}
    answer = compose(_q("房租补贴的补贴面积上限是多少"), [Hit(table, 1.0, "fused")], docs, [table],
                     dt.date(2026, 6, 1), by_doc={"d": [table]})
    assert "300平方米" in answer.answer and not answer.answer.startswith("营收奖励")


def test_the_entry_named_among_entries_after_a_colon_answers_with_what_it_is_given() -> None:
    unit = Chunk("d", "第十条", "第十条 对运营公司，根据年度考核结果给予运营补助：考核为优秀的，给予90万元；"
                 "考核为良好的，给予40万元；考核为合格的，给予10万元。")
    others = [Chunk("d", f"第{n}条", f"第{n}条 对入驻机构给予房租补贴和运营补助，按年度考核。") for n in "一二三四"]
    q = _q("运营公司年度考核良好给多少运营补助")
    vocab = vocabulary_for([unit, *others])
    sentences = best_sentences(q, unit, vocab)
    lead, quote = direct_answer(q, sentences, vocab), complete(q, sentences, unit)
    assert "考核为良好的，给予40万元" in quote and (not lead or "40万元" in lead)
    assert [s.text for s in sentences] == ["考核为良好的，给予40万元；"]


def test_a_point_under_a_heading_of_the_things_asked_for_is_chosen() -> None:
    from assistant.select import rerank
    from assistant.types import Hit

    reward = Chunk("d", "二（2）", "（2）营业收入奖励。对营业收入达到1500万元的入驻机构，按照附件1给予营业收入奖励。", "二、申报项目")
    papers = Chunk("d", "四（3）", "（3）租赁合同；申报营业收入奖励的，另附经审计的财务报表。", "四、申报材料")
    q = _q("申报营业收入奖励要另外附什么材料")
    hits = [Hit(reward, 5.0, "bm25"), Hit(papers, 4.5, "bm25")]
    assert rerank(q, hits, vocabulary_for([reward, papers])) == papers


def test_how_often_an_act_is_done_is_answered_by_the_unit_stating_that_act_done_once_a_period() -> None:
    from assistant.select import rerank
    from assistant.types import Hit

    summary = Chunk("d", "第十四条", "第十四条 产业园运营机构每年第一季度对上一年运行情况进行评估总结，报主管部门。")
    review = Chunk("d", "第十三条", "第十三条 市人社局负责产业园综合评估。市人社局一般每两年评估一次。")
    q = _q("产业园多久评估一次")
    hits = [Hit(summary, 5.0, "bm25"), Hit(review, 4.8, "bm25")]
    assert rerank(q, hits, vocabulary_for([summary, review])) == review


def test_a_rate_per_square_metre_is_an_amount_and_a_size_in_square_metres_an_area() -> None:
    from assistant.question import asked_kind

    assert asked_kind("装修补助，每平方米多少、最高多少") == "amount"
    assert asked_kind("补贴面积最多多少平方米") == "area"
    assert asked_kind("核心园区要多少平方米") == "area"

"""Coverage on synthetic units (not eval questions): a question whose asked thing the documents
never mention is declined, however well its other words match; scene-setting words, question
words, equivalents and words jieba cut across a boundary are not such things."""

from __future__ import annotations

from pathlib import Path

from assistant.coverage import asked_parts, refusal_reason, unknown_asked, unknown_share
from assistant.question import Question, understand
from assistant.route import route
from assistant.select import vocabulary_for
from assistant.types import Chunk, DocumentMeta, Hit

RENT = Chunk(
    "d", "第十三条",
    "第十三条 对入驻产业园的人力资源服务机构给予租金补贴，第一年按照每月每平方米30元给予补贴，"
    "补贴面积最高不超过500平方米。县（市、区）人社部门每年6月底前报送自评情况。",
)
REWARD = Chunk("d", "第十四条", "第十四条 到2026年，产业园培育规上企业30家。评估优秀的，给予奖励50万元。")
UNITS = [RENT, REWARD]


def _q(text: str) -> Question:
    return understand(route(text, {}))


def _missing(text: str) -> list[str]:
    return unknown_asked(_q(text), vocabulary_for(UNITS), [c.text for c in UNITS])


def test_an_asked_noun_the_documents_never_use_is_missing_though_its_neighbours_match() -> None:
    # 租金/每平方米 match the rent article strongly; 物业费 is what is asked and appears nowhere
    assert _missing("入驻机构的物业费每平方米多少钱") == ["物业费"]
    assert "公寓" in _missing("人才公寓租金打几折")
    assert _missing("入驻机构的租金补贴每平方米多少钱") == []


def test_the_refusal_names_the_missing_thing() -> None:
    q = _q("入驻机构的物业费每平方米多少钱")
    hits = [Hit(RENT, 1.0, "fused")]
    meta = {"d": DocumentMeta(doc_id="d", title="某市产业园管理办法")}
    reason = refusal_reason(q, hits, meta, vocabulary_for(UNITS), support=9.0, by_doc={"d": UNITS})
    assert reason is not None and "物业费" in reason
    # asked of a named document, the refusal names it
    docs = {"d": DocumentMeta(doc_id="d", title="某市产业园管理办法", places=("某市",))}
    named = understand(route("某市管理办法里入驻机构的物业费每平方米多少钱", docs))
    reason = refusal_reason(named, hits, docs, vocabulary_for(UNITS), support=9.0, by_doc={"d": UNITS})
    assert reason == "《某市产业园管理办法》没有关于“物业费”的规定。"


def test_a_clause_that_only_sets_the_scene_is_not_what_is_asked() -> None:
    assert asked_parts("输送普通工人，一人奖多少") == ["一人奖多少"]
    assert asked_parts("帮我写个爬虫") == ["帮我写个爬虫"]  # nothing asks: all of it is the request
    assert _missing("我们输送了普通工人，租金补贴每平方米多少") == []


def test_equivalent_words_and_question_phrases_are_not_missing() -> None:
    assert _missing("房租补贴每平方米多少") == []  # 房租 = 租金
    assert _missing("评估优秀有奖金吗") == []  # 奖金 = 奖励
    assert _missing("县里的自评情况几月底前报") == []  # 县里 = 县（市、区）
    assert "哪几个" not in _missing("评估结果分哪几个等次")  # it asks; it names nothing
    assert _missing("评估是不是每年一次") == []


def test_a_word_cut_across_a_boundary_the_text_has_is_not_missing() -> None:
    # jieba cuts "多少家规上企业" as 多少/家规/上/企业; the text has 规上企业
    assert _missing("到2026年要培育多少家规上企业") == []


def test_questions_about_the_document_itself_are_not_about_a_noun() -> None:
    assert _missing("这个办法替代了哪个老文件") == []
    assert _missing("第十三条原文") == []


def test_a_question_with_an_answerable_asking_clause_is_answered() -> None:
    assert _missing("租金补贴每平方米多少，物业费怎么交") == []
    assert _missing("物业费每平方米多少，公寓怎么申请") == ["物业费", "公寓"]


STAFF = Chunk(
    "s", "第五条",
    "第五条 从业人员新取得职业技能等级证书的，给予一次性奖励1000元。吸纳离校2年内未就业高校毕业生"
    "参加见习的，按照每人每月2000元给予见习补贴；申请人年龄不超过35周岁。产业园建成面积不低于3000平方米。",
)


def _missing_staff(text: str) -> list[str]:
    return unknown_asked(_q(text), vocabulary_for([STAFF]), [STAFF.text])


def test_everyday_words_for_the_documents_terms_are_not_missing() -> None:
    # the asker says 员工 / 大学生 / 实习 / 岁数 where the text says 从业人员 / 高校毕业生 / 见习 / 年龄
    assert _missing_staff("员工考了证能奖多少") == []
    assert _missing_staff("招一个应届大学生实习每月补多少") == []
    assert _missing_staff("多大岁数以内才能申请") == []
    assert _missing_staff("员工的物业费补多少") == ["物业费"]  # what is asked is still missing


def test_the_share_of_unknown_words_counts_an_equivalent_as_known() -> None:
    q = _q("员工培训考证奖励多少")
    assert "员工" not in unknown_share(q, vocabulary_for([STAFF]))[1]


def test_a_noun_cut_with_the_question_word_before_it_is_not_missing() -> None:
    # jieba cuts "多大面积" as 多/大面积; the text has 面积
    assert _missing_staff("产业园要建多大面积才行") == []


def test_a_one_character_modifier_of_a_known_word_is_known_but_stray_characters_are_not() -> None:
    assert _missing("月租金补贴每平方米多少") == []  # 月租金 is a 租金
    # 上市 is not known because the text has 企业上规 or 市场: only a word of the documents counts
    units = [Chunk("d", "第三条", "第三条 企业上规入统后给予奖励10万元，支持开拓市场。")]
    q = _q("企业上市奖励多少")
    assert unknown_asked(q, vocabulary_for(units), [c.text for c in units]) == ["上市"]


def test_a_clause_naming_nothing_does_not_make_a_question_answerable() -> None:
    # "每平米补多少" names no thing; the other clause asks about 物业费, which is missing
    assert _missing("有物业费补贴吗，每平米补多少") == ["物业费"]


TAX = Chunk(
    "t", "第八条",
    "第八条 高级管理人员按照其个人所得税地方留成部分的50%给予奖励。入驻机构首次纳入规模以上统计的，给予奖励5万元。"
    "享受房租补贴的机构3年内迁出的，应当退回。",
)


def test_a_short_form_cut_into_characters_is_missing_unless_the_text_has_its_full_form() -> None:
    # jieba cuts 个税 as 个/税 and 规上入统 as 规/上/入/统: each character occurs somewhere, the
    # short form does not — in RENT/REWARD nothing is a 个人所得税
    assert "个税" in _missing("园区企业个税返还比例是多少")
    # where the text has the full form (个人所得税, 房租补贴), the short form is not missing
    assert unknown_asked(_q("高管个税奖励比例是多少"), vocabulary_for([TAX]), [TAX.text]) == []
    assert unknown_asked(_q("拿了房补以后迁出要退回吗"), vocabulary_for([TAX]), [TAX.text]) == []
    # a short form the text has as written is not missing either
    assert "规上" not in _missing("规上企业要培育多少家")
    # one the text has not, in any order with a few characters between, is (the verbs after it,
    # 入统, end the run: verbs never decide coverage)
    assert unknown_asked(_q("规上入统奖励多少"), vocabulary_for([RENT]), [RENT.text]) == ["规上"]
    # a measure after a number is a quantity, not a name ("多少天内"); a name typed with a
    # homophone (木溪 for 沐溪) is the name
    assert _missing("收到申请以后多少天内要报送自评情况") == []
    sited = [Chunk("m", "第一条", "第一条 沐溪县对零工市场给予运营补助。")]
    assert unknown_asked(_q("木溪零工市场补助多少"), vocabulary_for(sited), [sited[0].text]) == []


def test_a_place_a_documents_text_names_is_not_foreign(tmp_path: Path) -> None:
    """"临港分园" is part of a city's park, named in its text though no document belongs to 临港:
    a question about it is answered; a place neither names nor holds is still refused."""
    from .conftest import chain_over

    text = """栖川市人力资源服务产业园扶持办法
栖人社发〔2026〕5号
一、房租补贴
入驻核心园的机构，补贴面积不超过400平方米；入驻临港分园的，补贴面积上限放宽至600平方米。
二、附则
本办法自2026年1月1日起施行。
"""
    chain = chain_over(tmp_path, {"qichuan-measures": text})
    assert "600平方米" in chain.ask("入驻临港分园的话，房补面积上限是多少？").answer
    assert chain.ask("北川市产业园房补面积上限是多少？").answer.startswith("未找到相关规定")


def test_an_earlier_version_the_library_lacks_is_named_not_quoted(tmp_path: Path) -> None:
    """Asked about the version a document replaced (by its year) or amends (原来那个办法), the
    answer says the library lacks it and names the newer document; the newer one still answers
    its own questions, and a year of the asker's figures is no version."""
    from .conftest import chain_over

    listing = """某川市人力资源服务产业园惠企政策清单（2026年版）
某人社发〔2026〕8号
序号|政策事项|支持标准
1|营业收入奖励|营业收入5000万元以上不满1亿元的，奖励20万元
2|房租补贴|每月每平方米20元
说明：
1.本清单自发布之日起施行。《某川市人力资源服务产业园惠企政策清单（2024年版）》（某人社发〔2024〕18号）同时废止。
2.本清单由市人社局负责解释。
"""
    decision = """某溪县人民政府关于修改《某溪县人力资源服务产业园扶持办法》的决定
某政发〔2026〕9号
县人民政府决定对《某溪县人力资源服务产业园扶持办法》作如下修改：
一、将第六条修改为：“房租补贴按照每月每平方米20元执行。”
二、本决定自2026年10月1日起施行。
"""
    chain = chain_over(tmp_path, {"mochuan-list": listing, "moxi-decision": decision})
    old = chain.ask("某川2024年版清单的营收奖励标准是多少").answer
    assert "没有《某川市人力资源服务产业园惠企政策清单（2024年版）》" in old and "2026年版" in old
    assert "20万元" in chain.ask("某川我们2024年营收6000万，清单里营收奖励多少").answer
    amended = chain.ask("某溪县原来那个扶持办法第三条写的啥").answer
    assert "没有《某溪县人力资源服务产业园扶持办法》" in amended and "修改" in amended
    assert "20元" in chain.ask("某溪决定把房租补贴改成多少了").answer


def test_a_verb_of_receiving_the_documents_do_not_use_is_no_missing_subject(tmp_path: Path) -> None:
    """"能拿到多少" where the text says 兑现: the asker's verb for getting an amount, not a subject
    the documents lack."""
    from .conftest import chain_over

    text = """墨川市人力资源服务产业园惠企政策清单
墨人社发〔2026〕3号
一、总部落户奖励
全国百强企业在本市设立区域总部的，一次性奖励80万元，分两年兑现：落户当年兑现50%，次年兑现50%。
二、附则
本清单自发布之日起施行。
"""
    chain = chain_over(tmp_path, {"mochuan-list": text})
    answer = chain.ask("墨川落户当年能拿到多少").answer
    assert not answer.startswith("未找到相关规定") and "落户当年兑现50%" in answer


def test_a_replaced_version_named_by_its_number_or_a_later_version_is_declined(tmp_path: Path) -> None:
    """Asked of the version a document replaced — by its 文号, or as 原来那个暂行办法 beside an
    实施办法 — or of a version issued after the one the library holds ("2028年的新通知"), the
    answer declines and names what the library holds instead of quoting the text it has."""
    from .conftest import chain_over

    measures = """某洲市人力资源服务产业园扶持资金管理实施办法
某人社规〔2026〕5号
一、房租补贴
入驻机构按照每月每平方米25元给予房租补贴。
二、施行日期
本办法自2026年7月1日起施行，有效期5年。《某洲市人力资源服务产业园扶持资金管理暂行办法》（某人社规〔2021〕9号）同时废止。
"""
    notice = """某溆市人力资源和社会保障局
关于支持人力资源服务产业园入驻机构发展的通知
某溆人社发〔2025〕6号
各区人力资源和社会保障局，某溆人力资源服务产业园管理中心：
1.房租补贴每家机构每年最高不超过9万元。
2.本通知自2025年1月21日起施行，有效期至2027年1月20日。

某溆市人力资源和社会保障局
2025年1月15日
"""
    chain = chain_over(tmp_path, {"mozhou-measures": measures, "moxu-notice": notice})
    by_number = chain.ask("某洲原来那个暂行办法（某人社规[2021]9号）第一条房补标准是多少")
    assert not by_number.answered and "替代它的《某洲市人力资源服务产业园扶持资金管理实施办法》" in by_number.answer
    assert not chain.ask("某洲原来的暂行办法房补标准是多少").answered
    assert "25元" in chain.ask("某洲实施办法房补标准是多少").answer
    later = chain.ask("某溆2028年的新通知出来了吗，新标准是多少")
    assert not later.answered and "库中只有《关于支持人力资源服务产业园入驻机构发展的通知》" in later.answer
    assert chain.ask("某溆通知房补每年最高多少").answered


def test_a_named_title_of_a_kind_the_place_lacks_is_declined_naming_what_the_place_holds() -> None:
    from assistant.coverage import absent_title

    guide = DocumentMeta("g", "甲城市2030年度专项资金申报指南", doc_number="甲办〔2030〕1号", places=("甲城市", "甲城"))
    rules = DocumentMeta("r", "乙城市产业园管理暂行办法", places=("乙城市", "乙城"))
    docs = {"g": guide, "r": rules}
    said = absent_title("甲城市促进服务业高质量发展实施办法里营收奖励怎么规定的", docs, {})
    assert said is not None
    assert "《甲城市促进服务业高质量发展实施办法》" in said and "《甲城市2030年度专项资金申报指南》" in said
    # the place's own kind of document, shortened, is held; a place the library lacks is not this case
    assert absent_title("乙城市级产业园管理办法第三条讲什么", docs, {}) is None
    assert absent_title("丙城市促进服务业高质量发展实施办法怎么规定", docs, {}) is None
    # a title named for what the place's own document grants to those meeting it is not asked of
    assert absent_title("甲城市新入园企业符合招商引资激励办法的还能拿奖励吗", docs, {}) is None


def test_a_list_of_materials_the_named_document_never_lists_is_declined() -> None:
    from assistant.coverage import unlisted

    docs = {"d": DocumentMeta("d", "甲市扶持办法", places=("甲市", "甲"))}
    named = Chunk("d", "第三条", "第三条 入驻机构应当于每年3月向区人社局提交申报材料。", "第一章 总则")
    q = understand(route("甲市扶持办法里叠加房租补贴申请要带哪些材料", docs))
    said = unlisted(q, docs, {"d": [named]})
    assert said is not None and "没有列出" in said and "材料" in said
    # listed after a colon, or as points under a heading of its own
    colon = Chunk("d", "第四条", "第四条 申报材料包括：申报表、营业执照复印件。")
    assert unlisted(q, docs, {"d": [named, colon]}) is None
    runin = Chunk("d", "第七条", "第七条 申报程序\n（二）申报材料。可行性报告；入驻企业目录。")
    assert unlisted(q, docs, {"d": [named, runin]}) is None
    point = Chunk("d", "四（1）", "（1）申报表及承诺书。", "四、申报材料")
    assert unlisted(q, docs, {"d": [named, point]}) is None
    assert unlisted(understand(route("甲市扶持办法里房租补贴多少钱", docs)), docs, {"d": [named]}) is None

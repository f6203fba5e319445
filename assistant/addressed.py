"""Text addressed to the reader instead of stating policy: orders to whoever reads it, requests
to call a number and pay. A policy document says what an agency does and what an applicant
may get; a passage that tells *you* what to answer or to transfer money is not evidence for an
answer, whatever words it shares with the question (prompt injection, scams pasted into an
upload). General language only: nothing here names a document, place or figure.
"""

from __future__ import annotations

import re

_YOU = r"(?:你们|你|您)"
_NOW = r"(?:现在|立即|立刻|马上|接下来)?"
_MUST = r"(?:必须|务必|一定要|只能|只许|应当|需要)"
_SAY = r"(?:回答|回复|答复|输出|告诉|声称|说|照做|执行|遵守)"
# "你现在必须回答…", "您务必告诉…": an order to the reader (or to an assistant reading it).
_ORDER = re.compile(rf"{_YOU}{_NOW}{_MUST}{_SAY}")
# "忽略以上指令", "ignore previous instructions": an attempt to override whoever reads it.
_OVERRIDE = re.compile(
    r"忽略(?:你|您)?(?:之前|以上|前面|上述|先前|所有)的?(?:全部|所有)?(?:指令|指示|说明|规则|要求|提示)"
    r"|(?:ignore|disregard)\s+(?:all\s+)?(?:the\s+)?(?:previous|prior|above)\s+instructions"
    r"|(?:作为|你是)(?:一个)?(?:AI|人工智能|助手|语言模型)",
    re.IGNORECASE,
)
# "请立即拨打…", "马上转账…": urgency plus an act the reader is to perform.
_URGENT = re.compile(
    r"(?:立即|立刻|马上|速|尽快|赶快)(?:拨打|致电|来电|联系|转账|汇款|打款|付款|支付|缴纳|点击|扫码|添加|加微信)"
)
_PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|400-?\d{3}-?\d{4})(?!\d)")
_PAYMENT = re.compile(r"转账|汇款|打款|付款|支付|银行卡|收款|账号|保证金|手续费|激活费|解冻")
_SENTENCE = re.compile(r"[^。！？!?\n]+")


def addressed_to_reader(text: str) -> bool:
    """Whether `text` speaks to its reader rather than stating policy (see the module doc)."""
    if _ORDER.search(text) or _OVERRIDE.search(text) or _URGENT.search(text):
        return True
    # A phone number is ordinary (a contact line); a phone number with a payment request in
    # the same sentence is the shape of a scam.
    return any(_PHONE.search(s) and _PAYMENT.search(s) for s in _SENTENCE.findall(text))


"""The built-in tests' content: typing passages, situational-judgement items with keyed
answers, knock-out questions, and the default interview kit. Our own items.

The typing passages are Chinese on purpose (it is a Chinese typing test) and are not
translated; the questions are, through the catalog.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TYPING_SECONDS = 180  # the page's countdown; the server measures the time itself

PASSAGES = {
    "p1": (
        "您好，很高兴为您服务。请问有什么可以帮您？关于您反映的订单未送达问题，我已经为您查询了物流信息，"
        "包裹目前在本市的配送站，预计今天下午六点前送达。如果届时仍未收到，您可以直接回复这条消息，"
        "我会第一时间帮您联系配送员并跟进处理。给您带来的不便，非常抱歉，感谢您的耐心与理解。"
    ),
    "p2": (
        "尊敬的客户，您申请的退款已经审核通过，款项将在三到五个工作日内原路退回到您的支付账户。"
        "退款到账后系统会发送短信通知，请您留意查收。如超过七个工作日仍未到账，请携带订单号联系我们，"
        "我们会为您加急核查。感谢您对我们的支持，祝您生活愉快。"
    ),
}

# Situational judgement: the situation, the options and the points of each (2 best, 1 acceptable).
SJT_ITEMS = (
    {
        "key": "angry",
        "text": _("A customer shouts that this is the third time they call about the same fault."),
        "options": (
            (
                "a",
                _(
                    "Apologise, tell them you will own the case, and give a time you will call back."
                ),
                2,
            ),
            ("b", _("Ask them to calm down before you can help."), 0),
            ("c", _("Transfer the call to your team lead at once."), 1),
            ("d", _("Read out the standard troubleshooting steps again."), 0),
        ),
    },
    {
        "key": "unknown",
        "text": _("A customer asks about a policy you do not know."),
        "options": (
            ("a", _("Give your best guess so the customer is not kept waiting."), 0),
            (
                "b",
                _("Put them on hold, check the knowledge base or ask a colleague, then answer."),
                2,
            ),
            ("c", _("Tell them to look it up on the website."), 0),
            ("d", _("Promise to find out and call back within the day."), 1),
        ),
    },
    {
        "key": "queue",
        "text": _("The queue is long and a customer wants to chat about something unrelated."),
        "options": (
            ("a", _("End the call politely as soon as their question is solved."), 2),
            ("b", _("Keep chatting: a happy customer matters more than the queue."), 0),
            ("c", _("Put them on hold and take the next call."), 0),
            ("d", _("Tell them the queue is long and you must go."), 1),
        ),
    },
    {
        "key": "mistake",
        "text": _("You notice you gave a customer wrong information yesterday."),
        "options": (
            ("a", _("Say nothing unless the customer calls back."), 0),
            ("b", _("Tell your team lead and call the customer back to correct it."), 2),
            ("c", _("Note it in the case so the next agent can correct it."), 1),
            ("d", _("Send the customer a text without explanation."), 0),
        ),
    },
)

SJT_KEYS = {
    item["key"]: {code: points for code, _label, points in item["options"]} for item in SJT_ITEMS
}

# Knock-out questions: the answer each needs ("yes").
KNOCKOUT = (
    ("shifts", _("Can you work rotating shifts, including nights, weekends and holidays?")),
    ("start", _("Can you start within a month?")),
    ("age", _("Are you at least 18 years old?")),
)
KNOCKOUT_REQUIRED = {key: "yes" for key, _label in KNOCKOUT}

# A kit the first role of a site gets when it has none (HR adapts it on the admin pages).
DEFAULT_KIT = [
    {
        "key": "service",
        "label": "服务意识",
        "questions": ["讲一次你让别人满意而超出对方预期的经历。"],
        "anchors": {
            "1": "只谈自己的方便",
            "3": "能按要求解决问题",
            "5": "主动发现并解决对方没说出的需要",
        },
    },
    {
        "key": "resilience",
        "label": "抗压能力",
        "questions": ["讲一次你被人指责、但不是你的错的时候，你怎么做的？"],
        "anchors": {
            "1": "情绪失控或回避",
            "3": "能保持礼貌完成任务",
            "5": "稳定情绪并把局面转向解决",
        },
    },
    {
        "key": "learning",
        "label": "学习能力",
        "questions": ["最近一次你在短时间内学会一件新东西，是怎么学的？"],
        "anchors": {
            "1": "说不出具体例子",
            "3": "有方法但依赖别人",
            "5": "有方法、会复盘并教会别人",
        },
    },
]

# The default kit's stages with planned minutes (seed 003: the knock-outs first, so an unfit
# candidate can be let go kindly after five minutes; the promising get the time to ask and be won).
DEFAULT_STAGES = [
    {"key": "knockout", "label": "硬性条件确认", "minutes": 5},
    {"key": "questions", "label": "结构化问题", "minutes": 25},
    {"key": "win", "label": "岗位介绍与答疑", "minutes": 10},
]

# Service-vs-sales orientation (our own items): forced choice, "a" the service statement,
# "b" the sales one (assessments.score_orientation).
ORIENTATION = (
    (
        "steps",
        _("I like solving a customer's problem step by step until it is done."),
        _("I like persuading a customer to choose what I recommend."),
    ),
    (
        "day",
        _("A calm customer who leaves satisfied makes my day."),
        _("Closing a sale makes my day."),
    ),
    (
        "rules",
        _("I prefer clear procedures I can follow carefully."),
        _("I prefer targets and the freedom to reach them my way."),
    ),
    (
        "angry",
        _("When a customer is angry, I listen first."),
        _("When a customer hesitates, I make the case again."),
    ),
    (
        "known",
        _("I would rather be known as patient."),
        _("I would rather be known as convincing."),
    ),
    (
        "repeat",
        _("Repeating the same explanation patiently does not bother me."),
        _("Hearing “no” many times a day does not bother me."),
    ),
)
ORIENTATION_KEYS = tuple(key for key, _a, _b in ORIENTATION)


# Listening comprehension (听力理解): a customer's voice message as it was spoken (fillers,
# self-corrections, numbers read digit by digit, 幺 for 1). The shipped clip speaks it; the
# candidate hears it and answers, and only HR sees this transcript (the clips page). Chinese
# on purpose and not translated.
LISTENING_MESSAGE = (
    "喂，你好，那个……我想问一下啊。就是我上礼拜，呃，应该是上周三吧，在你们网上买了个电饭煲，"
    "订单尾号是……幺三五七。今天到了，打开一看，内胆上有个坑，就是磕了一块。我不是要退啊，"
    "我就想换个新的，因为周六家里要请客，急着用。还有就是，你们那个快递员直接放驿站了，"
    "也没打电话，我下了班才看到。你们能不能尽快处理一下？电话就打这个号，下午三点以后吧，"
    "上午我在开会。"
)
LISTENING_ITEMS = (
    {
        "key": "want",
        "text": _("What does the customer want?"),
        "options": (
            ("a", _("A refund")),
            ("b", _("A new one in exchange")),
            ("c", _("A repair")),
            ("d", _("Only to complain about the courier")),
        ),
        "answer": "b",
    },
    {
        "key": "order",
        "text": _("Which order number ending did the customer give?"),
        "options": (("a", "7531"), ("b", "0357"), ("c", "1357"), ("d", "1375")),
        "answer": "c",
    },
    {
        "key": "call",
        "text": _("When should we call back?"),
        "options": (
            ("a", _("In the morning")),
            ("b", _("Any time")),
            ("c", _("On Saturday")),
            ("d", _("After 3 p.m.")),
        ),
        "answer": "d",
    },
    {
        "key": "urgent",
        "text": _("Why is it urgent?"),
        "options": (
            ("a", _("It is a gift")),
            ("b", _("Guests are coming on Saturday")),
            ("c", _("The old one is broken")),
            ("d", _("They are moving house")),
        ),
        "answer": "b",
    },
    {
        "key": "else",
        "text": _("What else is the customer unhappy about?"),
        "options": (
            ("a", _("The parcel was left at a pick-up point without a call")),
            ("b", _("The delivery was late")),
            ("c", _("The colour is wrong")),
            ("d", _("An agent was rude")),
        ),
        "answer": "a",
    },
)
LISTENING_KEYS = {item["key"]: item["answer"] for item in LISTENING_ITEMS}
# The shipped clip: LISTENING_MESSAGE read by espeak-ng's Mandarin voice (cmn-latn-pinyin),
# Opus in Ogg, 45 s, about 70 kB (docs/recruiting.md says how it was made).
LISTENING_CLIP = "sample"
LISTENING_CLIP_FILE = "recruiting/listening/rice_cooker.ogg"

"""Our own item bank (written for Zhiren; not any vendor's wording) and the survey templates.

Plain Python, no Django. Items are rated 1 (strongly disagree) to 5 (strongly agree); the
eNPS question 0–10; one open comment. Each text is kept here in zh-Hans and English (the
page picks by language), so an item's meaning cannot drift between two catalogs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Factor:
    key: str
    zh: str
    en: str


@dataclass(frozen=True)
class Item:
    key: str
    factor: str
    zh: str
    en: str


FACTORS = (
    Factor("clarity", "目标清晰", "Clear expectations"),
    Factor("tools", "工具与信息", "Tools and information"),
    Factor("recognition", "认可", "Recognition"),
    Factor("care", "被关心", "Being cared about"),
    Factor("development", "成长", "Development"),
    Factor("voice", "发声", "Voice"),
    Factor("team", "团队", "Team"),
    Factor("workload", "工作量", "Workload"),
    Factor("fairness", "规则与排班公平", "Fair rules and schedules"),
    Factor("stay", "留任意愿", "Intent to stay"),
)

ITEMS = (
    Item(
        "clarity_1",
        "clarity",
        "我清楚每通电话/每个会话做到什么样算做好了。",
        "I know what a well-handled call or chat looks like here.",
    ),
    Item(
        "clarity_2",
        "clarity",
        "考核我的指标事先讲清楚了，中途不会突然变。",
        "The targets I am measured on are explained in advance and do not change without notice.",
    ),
    Item(
        "clarity_3",
        "clarity",
        "遇到政策拿不准时，我知道该按什么标准处理。",
        "When a policy is unclear, I know which standard to follow.",
    ),
    Item(
        "tools_1",
        "tools",
        "系统和知识库能让我快速找到客户需要的答案。",
        "Our systems and knowledge base let me find what the customer needs quickly.",
    ),
    Item(
        "tools_2",
        "tools",
        "工具出问题时，很快就有人处理。",
        "When a tool breaks, someone fixes it quickly.",
    ),
    Item(
        "recognition_1",
        "recognition",
        "过去两周里，有人具体地肯定过我做得好的地方。",
        "In the last two weeks someone praised something specific I did well.",
    ),
    Item(
        "recognition_2",
        "recognition",
        "表现好的同事在这里能被看见、被奖励。",
        "People who do good work here are noticed and rewarded.",
    ),
    Item(
        "care_1",
        "care",
        "我的组长关心我这个人，而不只是我的数据。",
        "My team lead cares about me as a person, not only about my numbers.",
    ),
    Item(
        "care_2",
        "care",
        "家里或身体有事时，我敢开口，也能得到照顾。",
        "When something happens at home or with my health, I can say so and get support.",
    ),
    Item(
        "development_1",
        "development",
        "在这里工作，我的能力在实实在在地提高。",
        "Working here, my skills are genuinely growing.",
    ),
    Item(
        "development_2",
        "development",
        "我知道下一步能往哪里发展，需要做到什么。",
        "I know where I could go next and what it would take.",
    ),
    Item(
        "voice_1",
        "voice",
        "我提的意见和建议会被认真对待。",
        "My opinions and suggestions are taken seriously.",
    ),
    Item(
        "voice_2",
        "voice",
        "我可以说出问题而不用担心被穿小鞋。",
        "I can raise a problem without fear of being punished for it.",
    ),
    Item(
        "voice_3",
        "voice",
        "上次调查后，我看到了实际的改变。",
        "After the last survey I saw real changes.",
    ),
    Item(
        "team_1",
        "team",
        "忙不过来时，组里的同事会互相帮忙。",
        "When things get busy, people on my team help each other.",
    ),
    Item(
        "team_2",
        "team",
        "我在组里有可以说心里话的人。",
        "There is someone on my team I can talk to openly.",
    ),
    Item(
        "workload_1",
        "workload",
        "我的工作量是可以持续的，不会长期透支。",
        "My workload is sustainable; I am not running on empty.",
    ),
    Item(
        "workload_2",
        "workload",
        "两通电话之间，我有足够的时间整理和喘口气。",
        "Between contacts I have enough time to wrap up and catch my breath.",
    ),
    Item(
        "fairness_1",
        "fairness",
        "排班和调班的规则对所有人都一样。",
        "Scheduling and swap rules are the same for everyone.",
    ),
    Item(
        "fairness_2",
        "fairness",
        "质检和考核的扣分是公平、有依据的。",
        "Quality and performance deductions are fair and backed by evidence.",
    ),
    Item(
        "fairness_3",
        "fairness",
        "我的排班愿望会被认真考虑。",
        "My schedule wishes are given real consideration.",
    ),
    Item(
        "stay_1",
        "stay",
        "两年后我仍然希望在这里工作。",
        "Two years from now I still expect to be working here.",
    ),
    Item(
        "stay_2",
        "stay",
        "即使别处给的钱稍多，我也不会轻易离开。",
        "I would not leave easily even for slightly higher pay elsewhere.",
    ),
)

ENPS_ZH = "你有多大可能向朋友推荐来这里工作？（0–10）"
ENPS_EN = "How likely are you to recommend working here to a friend? (0–10)"
COMMENT_ZH = "还有什么想说的？（请不要写姓名或电话，以免暴露身份）"
COMMENT_EN = "Anything else you want to say? (Leave out names and phone numbers so no one can be identified.)"

BY_KEY = {item.key: item for item in ITEMS}
FACTOR_BY_KEY = {factor.key: factor for factor in FACTORS}

ENGAGEMENT, PULSE, ONBOARDING, EXIT = "engagement", "pulse", "onboarding", "exit"
KINDS = (ENGAGEMENT, PULSE, ONBOARDING, EXIT)
IDENTIFIED_KINDS = frozenset(
    {ONBOARDING, EXIT}
)  # answers carry the agent; said to them before they answer

TEMPLATES: dict[str, tuple[str, ...]] = {
    # twice a year: every item
    ENGAGEMENT: tuple(item.key for item in ITEMS),
    # weekly or monthly: four items that move fast
    PULSE: ("recognition_1", "care_1", "workload_1", "voice_1"),
    # 30/60/90 days after joining
    ONBOARDING: (
        "clarity_1",
        "clarity_3",
        "tools_1",
        "team_1",
        "team_2",
        "care_1",
        "development_2",
    ),
    # leaving: what would have kept them
    EXIT: (
        "recognition_2",
        "care_1",
        "development_2",
        "workload_1",
        "fairness_1",
        "fairness_2",
        "voice_1",
    ),
}


def factors_of(item_keys: tuple[str, ...] | list[str]) -> dict[str, list[str]]:
    """Factor key -> its items among ``item_keys``, in the factors' order."""
    result: dict[str, list[str]] = {}
    for factor in FACTORS:
        keys = [k for k in item_keys if k in BY_KEY and BY_KEY[k].factor == factor.key]
        if keys:
            result[factor.key] = keys
    return result


def text(entry: Item | Factor, language: str) -> str:
    return entry.zh if language.lower().startswith("zh") else entry.en

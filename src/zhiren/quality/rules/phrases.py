"""The shipped list of 服务禁语 (forbidden service phrases): the starting point of the editable list.

A site edits its own copy (``quality.PhraseList``, created from this on first use / by the demo).
"""

FORBIDDEN_PHRASES = (
    "不知道", "不清楚", "不归我管", "这不是我们的问题", "你自己看", "听不懂吗", "我已经说过了",
    "没办法", "爱买不买", "你去投诉吧", "有本事你去投诉", "我也没办法", "跟我说没用", "你找别人",
    "快点说", "你怎么这么笨", "烦死了", "神经病", "滚开", "闭嘴",
)

GREETING_PHRASES = ("您好", "很高兴为您服务", "欢迎致电")
IDENTITY_PHRASES = ("核实一下您的身份", "请提供您的手机号", "身份证后四位", "验证一下您的信息")
CLOSING_PHRASES = ("感谢您的来电", "还有其他可以帮您", "祝您生活愉快", "再见")

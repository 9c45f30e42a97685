"""Deterministic, realistic Chinese names for the demo centre."""

from __future__ import annotations

import random

# Common surnames, roughly by frequency.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_CHARS = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英文辉玲华红燕鹏飞婷雪梅琳晨宇浩然欣怡子涵梓萱一诺思远佳琪雨轩嘉怡俊杰晓东晓燕海燕春梅建华志强丹丹倩倩"
)


def person_names(count: int, seed: int) -> list[str]:
    """``count`` distinct names, the same for the same seed."""
    rng = random.Random(seed)
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        surname = rng.choice(SURNAMES)
        given = "".join(rng.choice(GIVEN_CHARS) for _ in range(rng.choice((1, 2, 2, 2))))
        name = surname + given
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names

"""The starting GROW question bank (editable afterwards)."""

from django.db import migrations

QUESTIONS = [
    ("goal", "今天这次谈话，你最想解决什么？", "What would you most like to get out of our talk today?"),
    ("goal", "做到的时候会是什么样子？你怎么知道自己做到了？", "What will it look like when you get there? How will you know?"),
    ("goal", "这件事对你为什么重要？", "Why does this matter to you?"),
    ("reality", "现在的情况是怎样的？能举一个最近的例子吗？", "Where do things stand now? Can you give me a recent example?"),
    ("reality", "到目前为止你试过哪些做法？效果怎么样？", "What have you tried so far, and how did it go?"),
    ("reality", "是什么在妨碍你？工具、工作量、个人情况还是技能？",
     "What gets in the way — tools, workload, something personal, or skills?"),
    ("options", "你可以怎么做？还有别的办法吗？", "What could you do? What else?"),
    ("options", "如果没有任何限制，你会怎么尝试？", "If nothing held you back, what would you try?"),
    ("options", "团队里谁做得好？谁可以帮到你？", "Who on the team does this well, and who could help you?"),
    ("will", "你决定先做哪一件？什么时候开始？", "Which step will you take first, and when will you start?"),
    ("will", "从 1 到 10 分，你有多大决心去做？", "On a scale of 1 to 10, how committed are you to doing it?"),
    ("will", "你需要我提供什么支持？我们什么时候再一起看进展？",
     "What support do you need from me, and when shall we look at progress together?"),
]


def add_questions(apps, schema_editor):
    question = apps.get_model("coaching", "GrowQuestion")
    if question.objects.exists():
        return
    question.objects.bulk_create(
        question(stage=stage, text_zh=zh, text_en=en, order=i)
        for i, (stage, zh, en) in enumerate(QUESTIONS)
    )


class Migration(migrations.Migration):
    dependencies = [("coaching", "0001_initial")]

    operations = [migrations.RunPython(add_questions, migrations.RunPython.noop)]

from django.urls import path

from . import views

app_name = "recruiting"

urlpatterns = [
    path("", views.home, name="home"),
    path("gap/", views.gap, name="gap"),
    path("requisitions/new/", views.requisition_new, name="requisition_new"),
    path("requisitions/<int:pk>/decide/", views.requisition_decide, name="requisition_decide"),
    path("candidates/new/", views.candidate_new, name="candidate_new"),
    path("candidates/<int:pk>/", views.candidate, name="candidate"),
    path("candidates/<int:pk>/move/", views.candidate_move, name="candidate_move"),
    path("candidates/<int:pk>/typing/", views.typing_start, name="typing_start"),
    path("candidates/<int:pk>/questions/", views.questions, name="questions"),
    path("candidates/<int:pk>/listening/", views.listening, name="listening"),
    path("candidates/<int:pk>/interview/", views.interview_new, name="interview_new"),
    path("candidates/<int:pk>/offer/", views.offer_new, name="offer_new"),
    path("typing/<int:pk>/", views.typing, name="typing"),
    path("scorecards/<int:pk>/", views.scorecard, name="scorecard"),
    path("interviews/<int:pk>/time/", views.interview_time, name="interview_time"),
    path("interviewers/", views.interviewers, name="interviewers"),
    path("offers/<int:pk>/accept/", views.offer_accept, name="offer_accept"),
    path("offers/<int:pk>/decline/", views.offer_decline, name="offer_decline"),
    path("clips/", views.clips, name="clips"),
    path("clips/<int:pk>/audio/", views.clip_audio, name="clip_audio"),
    path("clips/<int:pk>/toggle/", views.clip_toggle, name="clip_toggle"),
    path("report/", views.report, name="report"),
    path("costs/", views.costs, name="costs"),
]

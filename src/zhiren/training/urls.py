from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    path("programmes/<int:pk>/", views.programme, name="programme"),
    path("programmes/new/", views.programme_edit, name="programme_new"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("cohorts/new/", views.cohort_edit, name="cohort_new"),
    path("cohorts/<int:pk>/edit/", views.cohort_edit, name="cohort_edit"),
    path("quizzes/new/", views.quiz_edit, name="quiz_new"),
    path("quizzes/<int:pk>/edit/", views.quiz_edit, name="quiz_edit"),
    path("programmes/<int:pk>/effect/", views.effect, name="effect"),
    path("cohorts/<int:pk>/", views.cohort, name="cohort"),
    path("enrolments/<int:pk>/", views.enrolment, name="enrolment"),
    path(
        "enrolments/<int:pk>/milestones/<int:milestone>/done/",
        views.mark_milestone,
        name="mark_milestone",
    ),
    path("enrolments/<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("enrolments/<int:pk>/extend/", views.extend, name="extend"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/new/", views.session_edit, name="session_new"),
    path("sessions/<int:pk>/", views.session, name="session"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("attendance/<int:pk>/rate/", views.rate, name="rate"),
    path("quizzes/<int:pk>/", views.quiz, name="quiz"),
    path("quizzes/<int:pk>/items/", views.quiz_items, name="quiz_items"),
    path("plans/", views.plans, name="plans"),
    path("plans/new/", views.plan_edit, name="plan_new"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("goals/<int:pk>/", views.goal, name="goal"),
    path("cases/", views.cases, name="cases"),
    path(
        "cases/from-evaluation/<int:pk>/", views.case_from_evaluation, name="case_from_evaluation"
    ),
    path("cases/from-know-how/<int:pk>/", views.case_from_know_how, name="case_from_know_how"),
    path("cases/<int:pk>/criteria/", views.case_tags, name="case_tags"),
]

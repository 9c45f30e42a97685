"""The REST API root: every app's viewsets registered on one router."""

from rest_framework.routers import DefaultRouter

from zhiren.discipline.api import ClockEventViewSet
from zhiren.engagement.api import WaveViewSet
from zhiren.org.api import AgentViewSet, TeamViewSet
from zhiren.performance.api import InteractionViewSet
from zhiren.quality.api import DisputeViewSet, EvaluationViewSet, RuleHitViewSet
from zhiren.recruiting.api import CandidateViewSet

app_name = "api"

router = DefaultRouter()
router.register("teams", TeamViewSet, basename="team")
router.register("agents", AgentViewSet, basename="agent")
router.register("interactions", InteractionViewSet, basename="interaction")
router.register("clock-events", ClockEventViewSet, basename="clock-event")
router.register("qa-evaluations", EvaluationViewSet, basename="qa-evaluation")
router.register("qa-disputes", DisputeViewSet, basename="qa-dispute")
router.register("qa-rule-hits", RuleHitViewSet, basename="qa-rule-hit")
router.register("engagement-waves", WaveViewSet, basename="engagement-wave")
router.register("candidates", CandidateViewSet, basename="candidate")

urlpatterns = router.urls

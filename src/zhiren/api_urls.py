"""The REST API root: every app's viewsets registered on one router."""

from rest_framework.routers import DefaultRouter

from zhiren.discipline.api import ClockEventViewSet
from zhiren.org.api import AgentViewSet, TeamViewSet
from zhiren.performance.api import InteractionViewSet

app_name = "api"

router = DefaultRouter()
router.register("teams", TeamViewSet, basename="team")
router.register("agents", AgentViewSet, basename="agent")
router.register("interactions", InteractionViewSet, basename="interaction")
router.register("clock-events", ClockEventViewSet, basename="clock-event")

urlpatterns = router.urls

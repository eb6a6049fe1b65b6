from django.contrib import admin

from gridgov.data.metrics.models import IndicatorWeights


@admin.register(IndicatorWeights)
class IndicatorWeightsAdmin(admin.ModelAdmin[IndicatorWeights]):
    list_display = ("town", "on_time_closure", "closure", "no_rework", "satisfaction", "visit_coverage")

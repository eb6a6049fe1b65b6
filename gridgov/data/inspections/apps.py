from django.apps import AppConfig


class Config(AppConfig):
    name = "gridgov.data.inspections"
    label = "inspections"

    def ready(self) -> None:
        from gridgov.data.inspections import importers  # noqa: F401  (registers the Excel importer)
        from gridgov.data.inspections.scoring import period_deductions
        from gridgov.data.metrics.indicators import register_deductions

        register_deductions(period_deductions)  # inspection deductions enter the 综合指标值

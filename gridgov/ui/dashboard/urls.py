from django.urls import URLPattern, URLResolver, path

from gridgov.ui.dashboard.views import board, bulletins, development, economy, indicators, rankings, visits, wall, year

app_name = "dashboard"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", board.board, name="board"),
    path("charts.json", board.board_charts, name="board_charts"),
    path("map.json", board.board_map, name="board_map"),
    path("areas.geojson", board.board_areas, name="board_areas"),
    path("wall/", wall.wall, name="wall"),
    path("wall/figures/", wall.wall_figures, name="wall_figures"),
    path("wall/lists/", wall.wall_lists, name="wall_lists"),
    path("indicators/", indicators.indicators, name="indicators"),
    path("indicators/cases/", indicators.cases, name="cases"),
    path("rankings/", rankings.rankings, name="rankings"),
    path("bulletins/", bulletins.bulletins, name="bulletins"),
    path("bulletins/generate/", bulletins.bulletin_generate, name="bulletin_generate"),
    path("bulletins/<int:bulletin_id>/", bulletins.bulletin, name="bulletin"),
    path("bulletins/<int:bulletin_id>/issue/", bulletins.bulletin_issue, name="bulletin_issue"),
    path("bulletins/<int:bulletin_id>.docx", bulletins.bulletin_docx, name="bulletin_docx"),
    path("bulletins/<int:bulletin_id>.xlsx", bulletins.bulletin_xlsx, name="bulletin_xlsx"),
    path("year/", year.year, name="year"),
    path("year.docx", year.year_docx, name="year_docx"),
    path("year/cases/<slug:source>/<slug:key>/", year.year_cases, name="year_cases"),
    path("year/records/<slug:source>/<slug:key>/", year.year_records, name="year_records"),
    path("economy/", economy.economy_page, name="economy"),
    path("economy/define/", economy.economy_define, name="economy_define"),
    path("economy/target/", economy.economy_target, name="economy_target"),
    path("economy/actual/", economy.economy_actual, name="economy_actual"),
    path("development/", development.development, name="development"),
    path("visits/", visits.visits, name="visits"),
    path("visits/overdue/", visits.visits_overdue, name="visits_overdue"),
]

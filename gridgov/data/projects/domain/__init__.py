"""Recording the key projects (重点项目) and rural works: a project with its milestones, the milestones edited and
marked done, the monthly progress reports.

Each function checks its input field by field (an InvalidInput in Chinese naming the field — the milestone, for a
milestone) and who acts (``projects.scope``) before it writes; nothing is written when a check fails. Milestones
are kept in the order of their planned dates; their due and warning days come from the working calendar
(``projects.schedule``). A second progress report for the same month corrects the first. A report that takes the
year's completed investment above the year's plan needs a note saying why. A report may carry site photos (工地现场
照片, at most nine a month), each checked by content through the cases' photo path (``attachments.check_image``:
GPS stripped, an upright display copy and a thumbnail kept); one bad photo refuses the whole report.

The package, by concept: ``projects`` (registering them and their groups), ``milestones``, ``progress`` (the
monthly reports and their photos) and ``checks`` (what they share); its names are importable from here, where the
views, the API, the importer, the demo and the tests import them.
"""

from gridgov.data.projects.domain.checks import FIRST_YEAR
from gridgov.data.projects.domain.milestones import (
    MilestoneInput,
    check_milestones,
    default_milestones,
    edit_milestones,
    mark_milestone_done,
)
from gridgov.data.projects.domain.progress import ProgressInput, record_progress
from gridgov.data.projects.domain.projects import (
    CleanProject,
    ProjectInput,
    clean_project,
    create_group,
    create_project,
    create_projects,
)

__all__ = [
    "FIRST_YEAR",
    "CleanProject",
    "MilestoneInput",
    "ProgressInput",
    "ProjectInput",
    "check_milestones",
    "clean_project",
    "create_group",
    "create_project",
    "create_projects",
    "default_milestones",
    "edit_milestones",
    "mark_milestone_done",
    "record_progress",
]

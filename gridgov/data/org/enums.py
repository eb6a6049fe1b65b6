from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    COUNTY = "county", _("县/区")
    TOWN = "town", _("乡镇/街道")
    VILLAGE = "village", _("村/社区")
    GRID = "grid", _("网格")
    MICROGRID = "microgrid", _("微网格")


# Allowed parent level for each level (the tree's shape).
PARENT_LEVEL: dict[str, str | None] = {
    AreaLevel.COUNTY: None,
    AreaLevel.TOWN: AreaLevel.COUNTY,
    AreaLevel.VILLAGE: AreaLevel.TOWN,
    AreaLevel.GRID: AreaLevel.VILLAGE,
    AreaLevel.MICROGRID: AreaLevel.GRID,
}


class DepartmentKind(models.TextChoices):
    COMMAND = "command", _("综合信息指挥室")
    TOWN_OFFICE = "town_office", _("镇机关科室")
    STATION = "station", _("站所")
    VILLAGE_COMMITTEE = "village_committee", _("村（社区）委员会")
    COUNTY_OFFICE = "county_office", _("县级条线部门")


class Role(models.TextChoices):
    GRID_WORKER = "grid_worker", _("网格员")
    VILLAGE_STAFF = "village_staff", _("村干部")
    OPERATOR = "operator", _("受理员/派遣员")
    HANDLER = "handler", _("处置人员")
    LEADER = "leader", _("领导")
    ENTERPRISE = "enterprise", _("企业")
    RESIDENT = "resident", _("居民")
    ADMIN = "admin", _("系统管理员")


# Roles whose membership is scoped by an area (and which level that area must be at least as deep as).
AREA_ROLES = {Role.GRID_WORKER, Role.VILLAGE_STAFF, Role.OPERATOR, Role.LEADER, Role.ADMIN}
DEPARTMENT_ROLES = {Role.HANDLER}


class SecurityEventKind(models.TextChoices):
    LOGIN_OK = "login_ok", _("登录成功")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGIN_LOCKED = "login_locked", _("账号锁定期间尝试登录")
    LOGOUT = "logout", _("退出登录")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    SECOND_FACTOR_SET_UP = "second_factor_set_up", _("设置双因素认证")
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed", _("重新生成恢复码")
    PERSONAL_DATA_REVEALED = "personal_data_revealed", _("查看完整个人信息")
    PERSONAL_DATA_EXPORTED = "personal_data_exported", _("导出个人信息（查阅复制请求）")
    PERSONAL_DATA_ERASED = "personal_data_erased", _("删除个人信息")
    # A writer refused an ID number registered in a household they may not see (gridgov/data/people).
    PERSON_REGISTERED_ELSEWHERE = "person_registered_elsewhere", _("登记他处已登记的证件号码（被拒）")

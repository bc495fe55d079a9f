"""The Django admin app, with Jineng's admin site as its default site (``admin.site``)."""

from django.contrib.admin.apps import AdminConfig


class JinengAdminConfig(AdminConfig):
    default_site = "jineng.accounts.admin_site.JinengAdminSite"

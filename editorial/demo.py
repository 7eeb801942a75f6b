"""Demo roles: the per-site groups and workflow (``editorial.roles``) and one account per role.

Accounts (README "Demo accounts"): <site>_editor, <site>_reviewer, <site>_secrecy and
<site>_admin, where <site> is sheng for the provincial main site, jia and yi for the cities.
The city editors keep their earlier passwords (demo-jia-2026); the others are
demo-<site>-<role>-2026. Each has an e-mail address so workflow mail reaches them.
"""

from __future__ import annotations

from django.contrib.auth.models import Group

from .roles import ROLES, RoleSetup, setup_roles, site_label

PREFIX = {"main": "sheng"}


def demo_accounts(key: str) -> list[tuple[str, str, str]]:
    """(username, password, role key) for one site of the demo cluster."""
    prefix = PREFIX.get(key, key)
    accounts = []
    for role in ROLES:
        password = f"demo-{prefix}-2026" if role.key == "editor" and key != "main" else f"demo-{prefix}-{role.key}-2026"
        accounts.append((f"{prefix}_{role.key}", password, role.key))
    return accounts


class EditorialLoader:
    def __init__(self, loader):
        self.loader = loader

    def run(self, key: str, site) -> Group:
        """Set up the site's roles and workflow and its demo accounts; the 编辑 group."""
        groups = RoleSetup(note=self.loader.note).site(site)
        label = site_label(site)
        role_names = {role.key: role.name for role in ROLES}
        for username, password, role_key in demo_accounts(key):
            self.loader.user(username, password, group=groups[role_key], first_name=f"{label}{role_names[role_key]}")
        return groups["editor"]

    def cover_translations(self) -> None:
        """Translated trees (the English edition) are made after the sites: give them the roles too."""
        setup_roles(note=self.loader.note)

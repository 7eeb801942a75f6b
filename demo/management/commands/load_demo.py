from django.core.management.base import BaseCommand

from demo import files
from demo.loader import DemoLoader
from demo.planner import refresh_statistics
from signin.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Create the demo site cluster (示例省 and two cities). Safe to run again: nothing is duplicated."

    def handle(self, *args, **options):
        verbose = options["verbosity"] > 1
        if files.find_cjk_font() is None:
            self.stderr.write(self.style.WARNING(files.NO_CJK_FONT))
        loader = DemoLoader(log=self.stdout.write if verbose else (lambda message: None))
        created = loader.run()
        refresh_statistics()  # the search plans its ranked query by them
        self.stdout.write(self.style.SUCCESS(f"Demo content ready ({created} objects created)."))
        self.stdout.write(
            "Two-factor sign-in: admin and the <site>_admin accounts (sheng_admin, jia_admin, yi_admin) "
            f"use the demo authenticator key {DEMO_TOTP_SECRET}: add it to a TOTP app, or get the "
            "current code with `manage.py demo_totp_code`. Demo only."
        )

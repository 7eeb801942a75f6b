from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from signin.demo import DEMO_TOTP_SECRET, demo_key_hex


class Command(BaseCommand):
    help = f"Print the current code of the demo authenticator (key {DEMO_TOTP_SECRET}), for admin and <site>_admin."

    def handle(self, *args, **options):
        code = TOTP(bytes.fromhex(demo_key_hex())).token()
        self.stdout.write(f"{code:06d}")

"""Development tools that are not part of the portal (never imported by it)."""

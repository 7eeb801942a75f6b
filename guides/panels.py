"""Places on the guides' pages where other apps show panels (``portal/extensions.py``)."""

GUIDE_FAQ = "guides_guide_faq_panels"  # in a service guide's 常见问题 section (the 12366 knowledge base)

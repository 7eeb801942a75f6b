"""Places on the guides' pages where other apps show panels (``portal/extensions.py``)."""

GUIDE_FAQ = "guides_guide_faq_panels"  # in a service guide's 常见问题 section (the 12366 knowledge base)
LOCAL_GUIDE_PLACE = "guides_local_guide_place_panels"  # in a local guide's 本地办理 box (the halls it names)

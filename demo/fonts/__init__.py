"""The CJK font the demo draws its image labels with when the machine has none
(``demo/files.py``: :func:`~demo.files.find_cjk_font`), and how it is made."""

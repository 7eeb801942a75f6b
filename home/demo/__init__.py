"""Demo content for ``manage.py load_demo``: data modules, file generators and the loader."""

"""Demo content of the home app (columns, articles, standard pages, policies and their
interpretations), loaded by ``demo/loader.py`` through :class:`home.demo.loader.HomeLoader`."""

"""Demo content of the guides app: themes, departments, forms and service guides,
loaded by ``demo/loader.py`` through :class:`guides.demo.loader.GuidesLoader`."""

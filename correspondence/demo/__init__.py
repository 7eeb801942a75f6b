"""Demo mailboxes and letters of every site, loaded by ``demo/loader.py`` through
:class:`correspondence.demo.letters.LettersLoader`."""

"""Demo online interviews of the provincial site, loaded by ``demo/loader.py`` through
:class:`interviews.demo.interviews.InterviewsLoader`."""

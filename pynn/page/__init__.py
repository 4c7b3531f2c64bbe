"""The page's Python side: plain Python that the browser's worker calls, tested by pytest.

``pynn.page`` imports ``pynn`` (the library), never the other way round. ``session.Session`` holds
the data and the net and answers the worker's calls; the other modules do one job each for it.
"""

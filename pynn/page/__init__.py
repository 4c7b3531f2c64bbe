"""The page's Python side: plain Python that the browser's workers call, tested by pytest.

``pynn.page`` imports ``pynn`` (the library), never the other way round. ``calls`` is the one table
of what the workers may call; ``session.Session`` holds the data and the net; the content packages
(exercises/, lessons/: one module per item and an ORDER, the only list of their names) import only
their own package and pynn, and the modules that run them import them; the other modules do one job
each.
"""

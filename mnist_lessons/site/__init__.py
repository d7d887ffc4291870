"""The book's site: a Sphinx extension with the style sheet every page of the book loads.

:mod:`~mnist_lessons.site.sphinxext` is listed in ``_config.yml``; its ``static/book.css``
holds the book's own rules on top of the theme (reading, phones, dark mode).
"""

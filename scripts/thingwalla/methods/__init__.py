"""The method library (methods-library/): workshops, training modules, templates and recipes for
adopting a digital service. read.py checks the files, model.py builds typed methods, pages.py their pages."""

"""Projects (campaigns): their settings, members and vocabulary.

The models live in ``annotations.models`` (``Project``, ``Membership``); who may see a
project is decided by ``Project.objects.visible_to`` and the role helpers next to it.
Writes go through ``annotations.projects.services``.
"""

"""Span relations: an attribution span linked to the claim it attributes.

``services`` writes (create, delete, copy into gold), ``api`` serves
``/api/relations/``. The model lives with the others in ``annotations.models``.
"""

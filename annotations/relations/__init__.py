"""Span relations: an attribution span linked to the claim it attributes.

``api`` serves ``/api/relations/``; the writes (create, delete, copy into gold) are in
``annotations.services.relations``, the model with the others in ``annotations.models``.
"""

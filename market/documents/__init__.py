"""Uploaded documents: checked by content, stored outside static/, served as attachments.

Features own the rules for who may read a document: each registers an access policy for
the ``owner_type`` it stores documents under (see ``access.register_policy``).
"""

"""Django's PostgreSQL backend, told about the partitioned tables
(ntm.core.partitions).

Django groups a query by a model's primary key alone and lets PostgreSQL
infer the other columns from it (a "functional dependency"). PostgreSQL
infers them only from the table's whole primary key, which on a partitioned
table is ``(id, province_code)``: such a query (entered values with their
count of evidence) fails with "must appear in the GROUP BY clause". For
those tables Django lists every selected column instead.
"""

from django.db.backends.postgresql import base, features

from ntm.core.partitions import PARTITIONED_TABLES


class DatabaseFeatures(features.DatabaseFeatures):
    def allows_group_by_selected_pks_on_model(self, model):
        if model._meta.db_table in PARTITIONED_TABLES:
            return False
        return super().allows_group_by_selected_pks_on_model(model)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures

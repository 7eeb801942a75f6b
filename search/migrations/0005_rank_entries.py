"""``search_rankentry`` on PostgreSQL (``search.models.RankEntry``): the narrow copy of
Wagtail's index entries that ranking reads, filled from the index and kept by triggers on
every insert, update, delete and truncate of ``wagtailsearch_indexentry``. Nothing on other
databases."""

import django.contrib.postgres.search
from django.db import migrations, models

CREATE = """
CREATE TABLE search_rankentry (
    id integer PRIMARY KEY,
    content_type_id integer NOT NULL,
    object_id varchar(50) NOT NULL,
    object_key bigint NULL,
    title_norm double precision NOT NULL,
    title tsvector NOT NULL,
    body tsvector NOT NULL
);
ALTER TABLE search_rankentry ALTER COLUMN title SET STORAGE MAIN, ALTER COLUMN body SET STORAGE MAIN;
CREATE INDEX search_rankentry_title ON search_rankentry USING gin (title);
CREATE INDEX search_rankentry_body ON search_rankentry USING gin (body);
CREATE INDEX search_rankentry_object_key ON search_rankentry (object_key);

CREATE FUNCTION search_rankentry_copy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_rankentry WHERE id = OLD.id;
        RETURN NULL;
    END IF;
    INSERT INTO search_rankentry (id, content_type_id, object_id, object_key, title_norm, title, body)
    VALUES (
        NEW.id, NEW.content_type_id, NEW.object_id,
        CASE WHEN NEW.object_id ~ '^[0-9]{1,18}$' THEN NEW.object_id::bigint END,
        NEW.title_norm, NEW.title, NEW.body
    )
    ON CONFLICT (id) DO UPDATE SET
        content_type_id = EXCLUDED.content_type_id, object_id = EXCLUDED.object_id,
        object_key = EXCLUDED.object_key, title_norm = EXCLUDED.title_norm,
        title = EXCLUDED.title, body = EXCLUDED.body;
    RETURN NULL;
END $$;
CREATE TRIGGER search_rankentry_copy
    AFTER INSERT OR DELETE OR UPDATE OF id, content_type_id, object_id, title_norm, title, body
    ON wagtailsearch_indexentry FOR EACH ROW EXECUTE FUNCTION search_rankentry_copy();

CREATE FUNCTION search_rankentry_empty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE search_rankentry;
    RETURN NULL;
END $$;
CREATE TRIGGER search_rankentry_empty
    AFTER TRUNCATE ON wagtailsearch_indexentry FOR EACH STATEMENT EXECUTE FUNCTION search_rankentry_empty();

INSERT INTO search_rankentry (id, content_type_id, object_id, object_key, title_norm, title, body)
SELECT id, content_type_id, object_id,
       CASE WHEN object_id ~ '^[0-9]{1,18}$' THEN object_id::bigint END, title_norm, title, body
FROM wagtailsearch_indexentry;
"""

DROP = """
DROP TRIGGER IF EXISTS search_rankentry_empty ON wagtailsearch_indexentry;
DROP TRIGGER IF EXISTS search_rankentry_copy ON wagtailsearch_indexentry;
DROP FUNCTION IF EXISTS search_rankentry_empty();
DROP FUNCTION IF EXISTS search_rankentry_copy();
DROP TABLE IF EXISTS search_rankentry;
"""


def run(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)  # no parameters: the statements are sent as one script

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("portal_search", "0004_mask_logged_numbers"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.CreateModel(
            name="RankEntry",
            fields=[
                ("id", models.IntegerField(primary_key=True, serialize=False)),
                ("content_type_id", models.IntegerField()),
                ("object_id", models.CharField(max_length=50)),
                ("object_key", models.BigIntegerField(null=True)),
                ("title_norm", models.FloatField()),
                ("title", django.contrib.postgres.search.SearchVectorField()),
                ("body", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={"db_table": "search_rankentry", "managed": False},
        ),
        migrations.RunPython(run(CREATE), run(DROP)),
    ]

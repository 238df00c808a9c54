//! The store's tests: merges and moves of stories as the rows record them.

use super::*;

#[test]
fn a_merged_story_hands_its_families_and_time_span_to_the_story_that_took_it_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.db")).unwrap();
    let tx = store.conn.transaction().unwrap();
    let story = |id: &str, seq: i64, first: Option<&str>, last: Option<&str>| {
        tx.execute(
            "INSERT INTO stories (id, seq, updated_seq, title, first_published, last_published)
             VALUES (?1, ?2, ?2, 't', ?3, ?4)",
            params![id, seq, first, last],
        )
        .unwrap();
    };
    story("a", 1, Some("2024-03-05"), Some("2024-03-06"));
    story("b", 2, Some("2024-03-01"), Some("2024-03-03"));
    story("c", 5, None, None);
    for (f, st) in [("f1", "a"), ("f2", "b"), ("f3", "b"), ("f4", "c")] {
        tx.execute(
            "INSERT INTO families (id, seq, original, story) VALUES (?1, 0, ?1, ?2)",
            params![f, st],
        )
        .unwrap();
    }
    // b goes into a, then a (holding b) into c: a chain within one batch.
    merge_story_rows(&tx, "b", "a").unwrap();
    merge_story_rows(&tx, "a", "c").unwrap();
    let rows: Vec<(String, i64, Option<String>, Option<String>)> = tx
        .prepare("SELECT id, updated_seq, first_published, last_published FROM stories")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        rows,
        vec![(
            "c".to_string(),
            5,
            Some("2024-03-01".to_string()),
            Some("2024-03-06".to_string())
        )]
    );
    let in_c: i64 = tx
        .query_row("SELECT COUNT(*) FROM families WHERE story = 'c'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(in_c, 4);
    let merges: i64 = tx
        .query_row("SELECT COUNT(*) FROM story_merges", [], |r| r.get(0))
        .unwrap();
    assert_eq!(merges, 2);
    tx.commit().unwrap();
    // An id read before the merges still finds its story.
    for id in ["a", "b", "c"] {
        assert_eq!(store.live_story(id).unwrap(), "c");
    }
    assert!(matches!(
        store.live_story("d"),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn a_moved_family_changes_story_and_widens_its_span() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.db")).unwrap();
    let tx = store.conn.transaction().unwrap();
    for (id, first) in [("a", Some("2024-03-05")), ("b", None)] {
        tx.execute(
            "INSERT INTO stories (id, seq, updated_seq, title, first_published, last_published)
             VALUES (?1, 1, 1, 't', ?2, ?2)",
            params![id, first],
        )
        .unwrap();
    }
    for (f, st, published) in [("f1", "a", "2024-03-05"), ("f2", "a", "2024-03-09")] {
        tx.execute(
            "INSERT INTO articles (id, page_key, origin, text, text_hash, family, relation,
                                   similarity, evidence, published, removed, notes, authors)
             VALUES (?1, ?1, ?1, 'x', ?1, ?1, 'original', 1.0, '{}', ?3, '[]', '[]', '[]')",
            params![f, st, published],
        )
        .unwrap();
        tx.execute(
            "INSERT INTO families (id, seq, original, story) VALUES (?1, 0, ?1, ?2)",
            params![f, st],
        )
        .unwrap();
    }
    move_family_row(&tx, "f2", "b").unwrap();
    let story_of = |f: &str| -> String {
        tx.query_row("SELECT story FROM families WHERE id = ?1", [f], |r| {
            r.get(0)
        })
        .unwrap()
    };
    assert_eq!((story_of("f1"), story_of("f2")), ("a".into(), "b".into()));
    let span: (Option<String>, Option<String>) = tx
        .query_row(
            "SELECT first_published, last_published FROM stories WHERE id = 'b'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(span, (Some("2024-03-09".into()), Some("2024-03-09".into())));
}

#[test]
fn processes_creating_one_new_store_at_once_all_open_it() {
    // Each thread opens its own connection, as separate processes would; SQLite's file locks
    // are the same either way.
    for round in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("new{round}.db"));
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(6));
        let handles: Vec<_> = (0..6)
            .map(|_| {
                let (path, barrier) = (path.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    Store::open(&path).map(|_| ()).map_err(|e| e.to_string())
                })
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), Ok(()));
        }
        let store = Store::open(&path).unwrap();
        let version: i64 = store
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, schema::MIGRATIONS.len() as i64);
    }
}

#[test]
fn an_sqlite_failure_is_printed_once_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("not.db");
    std::fs::write(&path, "this is a text file, not a store\n".repeat(200)).unwrap();
    let e = Store::open(&path).err().expect("a text file is no store");
    let shown = format!("{:#}", anyhow::Error::from(e));
    assert_eq!(shown.matches("not a database").count(), 1, "{shown}");
    assert!(shown.contains("choose another with --db"), "{shown}");
}

//! Within a family: which member is the original, and how every other member relates to it.
//!
//! Input: a family's members (their provenance, dates, texts). Output: the original, with its
//! reason, and each member's [`Member`] record with its evidence; members no longer contained
//! in a new original leave the family to be placed again, and families found to be one merge.

use super::*;

/// A copy's member record from its alignment with the original.
pub(super) fn copy_member(
    article: &str,
    original: &str,
    al: &Alignment,
    odoc: &Doc,
    doc: &Doc,
    via: Option<String>,
) -> Member {
    let relation = match al.kind() {
        Kind::NearDuplicate => Relation::NearDuplicate,
        Kind::Spun => Relation::Spun,
        Kind::Rewrite => Relation::Rewrite,
    };
    let mut evidence = al.evidence(odoc, doc);
    evidence["original"] = serde_json::json!(original);
    evidence["reason"] = serde_json::json!(match relation {
        Relation::Spun => "sentences align in order with words swapped for synonyms",
        Relation::Rewrite => "the same sentences, reordered, merged or reworded",
        _ => "the same sentences in the same order, with edits",
    });
    if let Some(v) = via {
        evidence["via"] = serde_json::json!(v);
    }
    Member {
        article: article.to_string(),
        relation,
        similarity: align::round(al.similarity()),
        evidence,
    }
}

impl<T: TextSource> Engine<T> {
    /// Moves family `from`'s members into `into` and decides the original again.
    pub(super) fn merge_into(&mut self, into: usize, from: usize) {
        let members = std::mem::take(&mut self.fams[from].members);
        for &m in &members {
            self.fam_of[m as usize] = into as u32;
        }
        self.fams[into].members.extend(members);
        self.redecide(into);
        self.relabel(into, None);
    }

    /// A new member joins family `fam`: the original is decided again; the newcomer's record
    /// (or everyone's, if the original changed) is updated.
    pub(super) fn contest(&mut self, fam: usize, slot: u32, via: u32) {
        let (changed, reason_changed) = self.redecide(fam);
        if changed {
            self.relabel(fam, None);
        } else {
            if reason_changed {
                self.updates.push(self.original_update(fam));
            }
            self.relabel(fam, Some((slot, via)));
        }
    }

    /// Decides family `fam`'s original again and records it: whether the original changed,
    /// and whether the reason did.
    pub(super) fn redecide(&mut self, fam: usize) -> (bool, bool) {
        let (original, reason) = self.choose(fam);
        let changed = (
            original != self.fams[fam].original,
            reason != self.fams[fam].reason,
        );
        self.fams[fam].original = original;
        self.fams[fam].reason = reason;
        changed
    }

    /// The original of a family, decided over all its members: provenance and dates shortlist
    /// (see [`original::shortlist`]), then the contenders' texts are compared in turn.
    pub(super) fn choose(&self, fam: usize) -> (u32, original::Reason) {
        let members = &self.fams[fam].members;
        let (mut cands, filtered) = original::shortlist(members, &self.metas, &self.prov);
        cands.truncate(MAX_CONTENDERS);
        let Some(&first) = cands.first() else {
            return (self.fams[fam].original, original::Reason::FirstSeen);
        };
        // Which sentences the family itself holds, and how often (what the corpus holds more
        // often is boilerplate from elsewhere): read only when two texts are compared.
        let in_family = std::cell::OnceCell::new();
        let family_sentences = || {
            let texts: Vec<Cow<'_, str>> = members
                .iter()
                .take(MAX_FAMILY_SENTENCES)
                .map(|&m| self.texts.get(m))
                .collect();
            let docs: Vec<Doc> = texts.iter().map(|t| Doc::new(t)).collect();
            original::family_sentences(&docs.iter().collect::<Vec<_>>())
        };
        let mut best = first;
        let mut why = None;
        for &c in &cands[1..] {
            let (hb, hc) = (
                self.metas[best as usize].text_hash,
                self.metas[c as usize].text_hash,
            );
            if hb != 0 && hb == hc {
                continue;
            }
            let (tb, tc) = (self.texts.get(best), self.texts.get(c));
            let (db, dc) = (Doc::new(&tb), Doc::new(&tc));
            let al = align(&db, &dc);
            if !al.is_copy() {
                continue;
            }
            let in_family = in_family.get_or_init(family_sentences);
            match original::by_content(&db, &dc, &al, &self.fluency, in_family) {
                Some((true, r)) => {
                    best = c;
                    why = Some(r);
                }
                Some((false, r)) => {
                    why.get_or_insert(r);
                }
                None => {}
            }
        }
        (
            best,
            why.or(filtered).unwrap_or(original::Reason::FirstSeen),
        )
    }

    /// Decides every family's original again with what the engine knows now. A batch calls
    /// it once at the end: the corpus statistics behind fluency and boilerplate are complete
    /// only then, while a family's choice was made when its last member joined.
    pub fn settle(&mut self) {
        for fam in 0..self.fams.len() {
            if self.fams[fam].members.len() < 2 {
                continue;
            }
            match self.redecide(fam) {
                (true, _) => self.relabel(fam, None),
                (false, true) => self.updates.push(self.original_update(fam)),
                (false, false) => {}
            }
        }
        self.replace_evicted();
    }

    pub(super) fn original_update(&self, fam: usize) -> Update {
        let orig = self.fams[fam].original;
        let mut m = original_member(&self.metas[orig as usize].id, self.fams[fam].reason.clone());
        let found = &self.prov[orig as usize].found;
        if !found.is_empty() {
            m.evidence["credit"] = serde_json::json!(found);
        }
        Update {
            slot: orig,
            family: self.fams[fam].id.clone(),
            member: m,
        }
    }

    /// Recomputes member records of family `fam` against its original: all of them, or only
    /// `only.0` (which joined through `only.1`).
    pub(super) fn relabel(&mut self, fam: usize, only: Option<(u32, u32)>) {
        let orig = self.fams[fam].original;
        let fid = self.fams[fam].id.clone();
        let otext = self.texts.get(orig).into_owned();
        let odoc = Doc::new(&otext);
        let omet = self.metas[orig as usize].clone();
        let slots: Vec<u32> = match only {
            Some((s, _)) => vec![s],
            None => self.fams[fam].members.clone(),
        };
        if only.is_none() {
            self.updates.push(self.original_update(fam));
        }
        for s in slots {
            if s == orig {
                continue;
            }
            let meta = &self.metas[s as usize];
            let member = if meta.text_hash != 0 && meta.text_hash == omet.text_hash {
                exact_member(&meta.id, &omet.id)
            } else {
                let text = self.texts.get(s).into_owned();
                let d = Doc::new(&text);
                let al = align(&odoc, &d);
                if only.is_none() && al.contained() < EVICT_BELOW {
                    // It came in through a member or an original that is no longer the
                    // family's original, and little of it is in this one: it is placed again
                    // once this change is done. (A member short of a copy but still largely
                    // held stays: more often the new original is a copy of its own.)
                    self.fams[fam].members.retain(|&m| m != s);
                    self.evicted.push((s, fam));
                    continue;
                }
                let via = only
                    .filter(|&(_, v)| v != orig && !al.is_copy())
                    .map(|(_, v)| self.metas[v as usize].id.clone());
                let mut m = copy_member(&self.metas[s as usize].id, &omet.id, &al, &odoc, &d, via);
                if !self.prov[s as usize].found.is_empty() {
                    m.evidence["credit"] = serde_json::json!(self.prov[s as usize].found);
                }
                m
            };
            self.updates.push(Update {
                slot: s,
                family: fid.clone(),
                member,
            });
        }
    }
}

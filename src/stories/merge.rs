//! Merges: stories of one event opened apart, before the stream showed which words matter,
//! are brought together.
//!
//! Input: stories that doubled in size since last looked at. Output: merges (the smaller into
//! the larger), judged as a unit is judged, two centroids of one event expected to score as
//! two centroids do.

use super::*;

impl Clusterer {
    /// Merges stories that doubled in size since they were last looked at into a story they
    /// now score high against, judged as a unit is (see [`Clusterer::expected`]), with the
    /// corpus statistics of now, which early units lacked: the smaller goes into the larger.
    /// Returns how many merges were made.
    pub fn merge_pass(&mut self) -> usize {
        let mut merges = 0;
        let mut dirty: Vec<u32> = std::mem::take(&mut self.dirty).into_iter().collect();
        dirty.sort_unstable();
        for s in dirty {
            if self.stories[s as usize].gone {
                continue;
            }
            let st = &self.stories[s as usize];
            let (w, wi) = self.df.weigh_all(&st.raw);
            let (standing, size) = (Standing::of(st), (st.units, st.terms));
            let margin = self.params.merge_margin;
            let Some((t, _)) = self.best(&w, &wi, standing.at(), size, margin, Some(s)) else {
                continue;
            };
            let (into, from) = {
                let (a, b) = (&self.stories[s as usize], &self.stories[t as usize]);
                if (b.units, std::cmp::Reverse(t)) >= (a.units, std::cmp::Reverse(s)) {
                    (t, s)
                } else {
                    (s, t)
                }
            };
            self.merge(into, from);
            merges += 1;
        }
        merges
    }

    pub(super) fn merge(&mut self, into: u32, from: u32) {
        let f = &mut self.stories[from as usize];
        let keys = if f.archived {
            archive_keys(f)
        } else {
            indexed(f)
        };
        let was_archived = f.archived;
        f.gone = true;
        let raw = std::mem::take(&mut f.raw);
        let labels = std::mem::take(&mut f.labels);
        let marks = std::mem::take(&mut f.marks);
        let (units, days, title, id) = (
            (f.units, f.terms),
            (f.first_day, f.last_day),
            f.title.take(),
            f.id.clone(),
        );
        if was_archived {
            remove_all(&mut self.archive, &keys, from);
        } else {
            remove_all(&mut self.index, &keys, from);
        }
        self.dirty.remove(&from);
        self.absorb(into, &raw, units, days, title, (labels, &marks));
        let into_id = self.stories[into as usize].id.clone();
        self.mark_changed(from);
        self.new_merges.push((id.clone(), into_id.clone()));
        self.merged.insert(id, into_id);
    }
}

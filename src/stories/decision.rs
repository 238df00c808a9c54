//! The decision: how a unit (or a story) scores against a story, and which story it joins.
//!
//! Input: weighted vectors, where and when the unit stands ([`Where`]), its size. Output: a
//! score per candidate and the best story above the threshold. The score is a weighted sum of
//! cosines (body, names, title), less any time penalty, times what where-and-when evidence says
//! ([`super::event`]); it is divided by the score a member of that story is expected to reach
//! (lower for short texts and small stories, whose centroids are noisy) before it meets the
//! threshold.

use super::*;

impl Clusterer {
    /// Computes story `s`'s norms again if the corpus grew much since they were.
    pub(super) fn refresh(&mut self, s: u32) {
        let st = &self.stories[s as usize];
        if st.norms_at > 0 && (self.df.units as f32) < st.norms_at as f32 * STALE_NORMS {
            return;
        }
        // A part that is never read keeps a norm of 0.
        let norms = std::array::from_fn(|k| {
            if self.part_read(k) {
                self.df.norm(&st.raw[k])
            } else {
                0.0
            }
        });
        let st = &mut self.stories[s as usize];
        st.norms = norms;
        st.norms_at = self.df.units.max(1);
    }

    /// The weights of the body, names and title parts of a score.
    pub(super) fn part_weights(&self) -> [f32; 3] {
        let p = &self.params;
        let mut w = [0.0; 3];
        w[BODY] = p.w_body;
        w[NAMES] = p.w_names;
        w[TITLE] = p.w_title;
        w
    }

    /// Whether part `k` is ever read: a part weighing nothing in the score is not (the title,
    /// as learned on ECB+), but the body also chooses a story's title (see `join`).
    pub(super) fn part_read(&self, k: usize) -> bool {
        k == BODY || self.part_weights()[k] > 0.0
    }

    /// The score of story `s` for weighted vectors `w` (times the IDF, see [`Df::weigh_all`])
    /// dated `day` (the story's norms fresh).
    pub(super) fn score(&self, s: &StoryState, w: &[Vec<(u64, f32)>; 3], at: Where) -> f32 {
        self.score_read(s, w, at).0
    }

    /// [`Clusterer::score`], and the evidence features it read.
    pub(super) fn score_read(
        &self,
        s: &StoryState,
        w: &[Vec<(u64, f32)>; 3],
        at: Where,
    ) -> (f32, [f32; event::FEATURES]) {
        let present = std::array::from_fn(|k| !w[k].is_empty());
        self.combine(s, present, at, |k| cosine(&w[k], &s.raw[k], s.norms[k]))
    }

    /// The score of weighted vectors `w` (times the IDF) against story `s` with a member's raw
    /// counts `member` taken out (leave one out; the story's norms fresh): its dot products
    /// and norms are the story's less what the member's terms add, so the story is not copied.
    pub(super) fn score_without(
        &self,
        s: &StoryState,
        member: &[Vec<(u64, f32)>; 3],
        w: &[Vec<(u64, f32)>; 3],
        at: Where,
    ) -> f32 {
        let present = std::array::from_fn(|k| !w[k].is_empty());
        self.combine(s, present, at, |k| {
            let (story, unit, wk) = (&s.raw[k], &member[k], &w[k]);
            let (mut dot, mut lost) = (0.0f32, 0.0f32);
            let (mut j, mut l) = (0, 0);
            for &(h, x) in story {
                while j < unit.len() && unit[j].0 < h {
                    j += 1;
                }
                let y = match unit.get(j) {
                    Some(&(g, y)) if g == h => y,
                    _ => 0.0,
                };
                let rest = less(x, y);
                if y > 0.0 {
                    let idf = self.df.idf(h);
                    lost += (x * x - rest * rest) * idf * idf;
                }
                while l < wk.len() && wk[l].0 < h {
                    l += 1;
                }
                if let Some(&(g, v)) = wk.get(l) {
                    if g == h {
                        dot += v * rest;
                    }
                }
            }
            let norm = (s.norms[k] * s.norms[k] - lost).max(0.0).sqrt();
            if norm > 0.0 {
                dot / norm
            } else {
                0.0
            }
        })
        .0
    }

    /// A score from the cosine of each part (`cos(k)`), less the time penalty, times what
    /// where and when say ([`Params::event`]); and the evidence features it read.
    pub(super) fn combine(
        &self,
        s: &StoryState,
        present: [bool; 3],
        at: Where,
        cos: impl Fn(usize) -> f32,
    ) -> (f32, [f32; event::FEATURES]) {
        let p = &self.params;
        // A part the unit lacks (no title; no capitalised words, as in lower-cased titles) is
        // left out and the others weigh for it, so that such units are not held to a score
        // they cannot reach.
        let mut present = present;
        let mut across = false;
        if let (Some(a), Some(b)) = (at.language, s.language.as_deref()) {
            // Words of two languages do not meet: across them, names, numbers and places
            // (which do) are the whole score.
            if a != b && present[NAMES] {
                present[BODY] = false;
                present[TITLE] = false;
                across = true;
            }
        }
        let mut sum = 0.0;
        let mut weights = 0.0;
        let mut names = 0.0;
        for (k, wk) in self.part_weights().into_iter().enumerate() {
            // A part weighing nothing (the title, as learned on ECB+) is not computed.
            if wk > 0.0 && present[k] {
                let c = cos(k);
                if k == NAMES {
                    names = c;
                }
                sum += wk * c;
                weights += wk;
            }
        }
        let mut score = if weights > 0.0 { sum / weights } else { 0.0 };
        if across && p.cross_language > 0.0 {
            score /= p.cross_language;
        }
        let day = at.span.1;
        if let (Some(d), Some(first), Some(last)) = (day, s.first_day, s.last_day) {
            let gap = if d < first {
                first - d
            } else {
                d.saturating_sub(last).max(0)
            };
            score -= (gap as f32 * p.time_per_day).min(p.max_time_penalty);
        }
        if !self.reads_evidence() {
            return (score, [0.0; event::FEATURES]);
        }
        // A name in common weighs only across a gap (see `Evidence::features`): undated, the
        // story's names are not hashed.
        let story_names = if at.span.0.is_some() && s.first_day.is_some() {
            s.name_keys()
        } else {
            Vec::new()
        };
        let x = Evidence::of(
            (at.marks, at.names),
            at.span,
            (&s.marks, &story_names),
            (s.first_day, s.last_day),
        )
        .features(names);
        let logit: f32 = p.event.iter().zip(&x).map(|(w, v)| w * v).sum();
        (score * logit.exp(), x)
    }

    /// The cosine `units` texts of story `st`'s event, holding `terms` body terms in all, are
    /// expected to score against it (a new member: one unit), divided by [`Params::rho`] (1
    /// when `rho` is 0): scores are divided by it before they meet the threshold.
    ///
    /// The model: a text of m terms is its event's mean seen through noise, and its expected
    /// cosine with that mean is rho(m) = rho * sqrt(m / (m + length_scale)) (a short text
    /// holds fewer of the event's words; the curve is fitted on ECB+ train and dev texts cut
    /// to their first m terms, `tools/fit_length.py`). The centroid of n such texts, of mean
    /// length l, holds the mean n times over and n independent noises, so a new member's
    /// expected cosine with it is rho(m) * rho(l) / sqrt(rho(l)^2 + (1 - rho(l)^2) / n). A story
    /// of one unit is thus expected to score about rho^2, and a large one about rho: with one
    /// threshold on raw scores, reports of an event that opened apart could not find each
    /// other, while a large story could take in a like event (ECB+'s two earthquakes).
    ///
    /// Two stories of one event are two such centroids, and their expected cosine is the
    /// product of each one's with the mean ([`Clusterer::centroid_fit`]); a unit is the
    /// centroid of one text, so a merge pass judges two stories as a unit is judged, and two
    /// stories of one unit each as a unit against a story of one.
    pub(super) fn expected(&self, st: &StoryState, (units, terms): (u32, u64)) -> f32 {
        let p = &self.params;
        if p.rho <= 0.0 {
            return 1.0;
        }
        let e = self.centroid_fit(units, terms) * self.centroid_fit(st.units, st.terms);
        (e / p.rho).max(f32::MIN_POSITIVE)
    }

    /// The expected cosine with its event's mean of the sum of `units` texts holding `terms`
    /// body terms in all (see [`Clusterer::expected`]): rho(l) for one text of l terms, rising
    /// towards 1 as the noises of more texts cancel.
    pub(super) fn centroid_fit(&self, units: u32, terms: u64) -> f32 {
        let p = &self.params;
        let n = units.max(1) as f32;
        let l = (terms as f32 / n).max(1.0);
        let r = p.rho * (l / (l + p.length_scale)).sqrt();
        r / (r * r + (1.0 - r * r) / n).sqrt()
    }

    /// The story weighted vectors `w` join (`wi`: the same times the IDF, see
    /// [`Df::weigh_all`]), leaving out `except`, and its score as the threshold (plus `margin`)
    /// reads it: divided by what a member is expected to score (for a story in a merge pass,
    /// what a story of the same event is; `size` is the unit's or story's units and terms).
    pub(super) fn best(
        &mut self,
        w: &[Vec<(u64, f32)>; 3],
        wi: &[Vec<(u64, f32)>; 3],
        at: Where,
        size: (u32, u64),
        margin: f32,
        except: Option<u32>,
    ) -> Option<(u32, f32)> {
        // (story, raw score, score against expectation)
        let mut best: Option<(u32, f32, f32)> = None;
        for s in self.candidates(w) {
            if Some(s) == except || self.stories[s as usize].gone {
                continue;
            }
            self.refresh(s);
            let st = &self.stories[s as usize];
            let need = self.params.threshold
                + margin
                + if st.archived {
                    self.params.reopen_margin
                } else {
                    0.0
                };
            let (raw, x) = self.score_read(st, wi, at);
            let fit = raw / self.expected(st, size);
            if except.is_none() {
                if let Some(t) = self.trace.as_mut() {
                    let logit: f32 = self.params.event.iter().zip(&x).map(|(w, v)| w * v).sum();
                    t.push(Trace {
                        story: st.id.clone(),
                        log_fit: fit.max(f32::MIN_POSITIVE).ln() - logit,
                        features: x,
                        archived: st.archived,
                    });
                }
            }
            // Among the stories the unit fits, the closest joins it: the expectation says how
            // far a member may be, not that a small story is the better home.
            if fit >= need && best.is_none_or(|b| raw > b.1 || (raw == b.1 && s < b.0)) {
                best = Some((s, raw, fit));
            }
        }
        best.map(|(s, _, fit)| (s, fit))
    }
}

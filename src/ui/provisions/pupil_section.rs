//! The "Provision" section of a pupil's page: each provision they are or were in, with
//! their dates, attendance, measures and rating, and (unless money is hidden) their cost
//! this year against the notional SEN budget's threshold.

use super::{costing, hours, money_shown, pounds, provision_href};
use crate::domain::dates::format_uk;
use crate::domain::provision::details::{gain_text, measure_text};
use crate::domain::provision::totals::pupil_year_cost;
use crate::domain::PupilId;
use crate::ui::state::use_app;
use leptos::prelude::*;

#[component]
pub fn PupilProvisions(id: PupilId) -> impl IntoView {
    let app = use_app();
    let content = move || {
        app.session.with(|s| {
            let open = s.as_ref()?;
            let desk = &open.desk;
            let settings = &desk.settings;
            let costing = costing(settings);
            let mut rows: Vec<_> = desk
                .provisions_of(&id)
                .map(|p| {
                    let e = p.enrolment(&id).expect("only provisions they are in");
                    let a = costing.pupil_attendance(p, &id, (p.starts, p.ends));
                    let attended = format!(
                        "{} of {} planned in all ({})",
                        a.attended,
                        a.planned,
                        hours(a.minutes_attended)
                    );
                    (
                        e.joined,
                        p.id.clone(),
                        p.name.clone(),
                        match e.left {
                            Some(left) => format!("{} to {}", format_uk(e.joined), format_uk(left)),
                            None => format!("From {}", format_uk(e.joined)),
                        },
                        attended,
                        e.entry.as_ref().map(measure_text).unwrap_or_else(|| "Not yet".into()),
                        e.exit.as_ref().map(measure_text).unwrap_or_else(|| "Not yet".into()),
                        gain_text(e.entry.as_ref(), e.exit.as_ref()),
                        e.rating.map(|r| format!("{:+}", r.value())).unwrap_or_else(|| "Not yet".into()),
                    )
                })
                .collect();
            rows.sort_by_key(|r| std::cmp::Reverse(r.0));
            let cost_line = money_shown(settings).then(|| {
                let year = settings.provision.cost_year.of(costing.today).days();
                let threshold = settings.provision.threshold;
                match pupil_year_cost(desk, &costing, year, &id) {
                    None => format!("Additional cost this year ({} to {}): none, against a threshold of {threshold}.", format_uk(year.0), format_uk(year.1)),
                    Some(c) => {
                        let mut text = format!(
                            "Additional cost this year ({} to {}): {} against the notional SEN budget threshold of {threshold}.",
                            format_uk(year.0),
                            format_uk(year.1),
                            pounds(c.cost)
                        );
                        if c.is_near(threshold) {
                            text.push_str(" This is 75% of the threshold or more.");
                        }
                        if !c.not_costed.is_empty() {
                            text.push_str(&format!(" Not counted (no rate set): {}.", c.not_costed.join(", ")));
                        }
                        text
                    }
                }
            });
            Some(view! {
                {cost_line.map(|line| view! { <p data-testid="pupil-provision-cost">{line}</p> })}
                {if rows.is_empty() {
                    view! { <p>"Not in any provision. Add them from a provision's page."</p> }.into_any()
                } else {
                    view! {
                        <table class="table">
                            <caption class="visually-hidden">"Provision"</caption>
                            <thead><tr>
                                <th scope="col">"Provision"</th><th scope="col">"In it"</th><th scope="col">"Sessions"</th>
                                <th scope="col">"Entry"</th><th scope="col">"Exit"</th><th scope="col">"Gain"</th><th scope="col">"Rating"</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|(_, pid, name, dates, attended, entry, exit, gain, rating)| view! {
                                    <tr>
                                        <th scope="row"><a href=provision_href(app, &pid)>{name}</a></th>
                                        <td>{dates}</td><td>{attended}</td><td>{entry}</td><td>{exit}</td><td>{gain}</td><td>{rating}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            })
        })
    };
    view! {
        <h2 id="section-provision" tabindex="-1">"Provision"</h2>
        {content}
        <p><a href=app.href("/provisions")>"All provisions"</a></p>
    }
}

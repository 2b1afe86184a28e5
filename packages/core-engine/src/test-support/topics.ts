/**
 * Five hand-written paragraphs of about 60 tokens each, one topic each:
 * astronomy, baking, sailing, municipal finance and gardening.
 */
export const TOPIC_PARAGRAPHS = [
  "The observatory on the ridge opened its new telescope in April. Astronomers use it to track comets that cross the inner solar system. Each night the dome turns to follow a list of faint targets. Clear winter skies give the longest observing runs of the year. Last season the team catalogued forty new variable stars.",
  "The bakery starts its ovens at four in the morning. Sourdough loaves rise overnight in cool wooden trays. Bakers fold butter into the croissant dough in three careful turns. A rye bread with caraway seeds sells out before nine most days. The owner buys flour from a mill twenty miles to the north.",
  "The sailing club keeps twelve dinghies in the harbor shed. Members learn to rig the mast and set the mainsail on their first day. Strong afternoon gusts make the bay a good place to practise capsizing. Racing starts every Saturday when the tide turns. Volunteers in a rescue boat watch the course from the breakwater.",
  "The city council approved a bond issue to repair the old bridges. Interest on the bonds will be paid from the road maintenance budget. Auditors found that two earlier loans had been refinanced at lower rates. The treasurer expects the debt to be repaid within fifteen years. Ratings agencies kept the city's credit outlook stable.",
  "The community garden plants tomatoes and beans along the south fence. Volunteers turn the compost heap every Sunday morning. Mulch keeps the beds moist through the dry weeks of July. Children from the nearby school grow pumpkins in a corner plot. The harvest is shared between the gardeners and a local food bank.",
] as const;

/**
 * A second paragraph on each topic of {@link TOPIC_PARAGRAPHS}, in the
 * same order, so that each topic fills about 130 tokens.
 */
export const TOPIC_FOLLOW_UPS = [
  "A spectrograph mounted behind the mirror splits starlight into its colours. Graduate students reduce the images on a cluster in the basement. The observatory publishes its nightly comet positions for amateur astronomers. Cloudy weeks in November are spent recoating the mirror with aluminium. Visitors may look through the smaller refractor on the first Friday of each month.",
  "Pastry chefs chill the laminated dough between each fold. The bakery sells sourdough starter in small jars to home bakers. A stone deck oven gives the loaves their thick dark crust. Leftover bread is ground into crumbs or donated to a shelter. On Sundays the bakery offers a class on shaping baguettes.",
  "The club repaired two hulls this winter after a storm damaged the slipway. New members must pass a swimming test before they sail alone. Lifejackets and wetsuits hang in a drying room next to the shed. The harbor master sets the mooring fees each spring. Junior sailors race on Wednesday evenings in the sheltered part of the bay.",
  "The council publishes its annual accounts every October. Property taxes provide roughly half of the city's revenue. A reserve fund covers emergency repairs after floods. Pension contributions for city employees rose again this year. The finance committee meets monthly to review spending against the budget.",
  "Rainwater from the shed roof fills two large barrels for the dry season. Gardeners rotate crops between the beds to keep the soil healthy. A beehive near the orchard helps pollinate the apple trees. Slugs are kept away from the lettuce with copper tape. Seed packets are swapped at a table by the gate every March.",
] as const;

/**
 * What the hazard detail screen must ask before it can take each lifecycle action: nothing, a
 * grade, a reason, photos (re-check), photos before and after (fix on site), an owner, a
 * department. The core says which actions the user may take now (`availableActions`); this
 * says what each needs, and builds the action from what was asked.
 */
package cn.gridpatrol.viewmodel.hazards

import cn.gridpatrol.core.HazardAction
import cn.gridpatrol.core.HazardGrade

/** The input an action needs. */
enum class ActionInput { NONE, GRADE, REASON, PHOTOS, PHOTOS_BEFORE_AFTER, OWNER_DEADLINE, DEPARTMENT, SUPERVISE, CONFLICT, HAZARD_ID }

/** What the screen collected for an action (unused fields stay empty). */
data class ActionInputs(
    val grade: HazardGrade = HazardGrade.GENERAL,
    val text: String = "",
    val photos: List<String> = emptyList(),
    val photosAfter: List<String> = emptyList(),
    val deadline: String? = null,
    val on: Boolean = true,
)

/** The input the action named [name] (as `availableActions` spells it) needs. */
fun inputFor(name: String): ActionInput = when (name) {
    "confirm" -> ActionInput.GRADE
    "dismiss" -> ActionInput.REASON
    "merge" -> ActionInput.HAZARD_ID
    "fix_on_site" -> ActionInput.PHOTOS_BEFORE_AFTER
    "assign" -> ActionInput.OWNER_DEADLINE
    "recheck_pass", "recheck_fail" -> ActionInput.PHOTOS
    "refer" -> ActionInput.DEPARTMENT
    "supervise" -> ActionInput.SUPERVISE
    "resolve_conflict" -> ActionInput.CONFLICT
    else -> ActionInput.NONE
}

/** Builds the action named [name] from [inputs]; null for a name this app does not know. */
fun buildAction(name: String, inputs: ActionInputs): HazardAction? = when (name) {
    "verify" -> HazardAction.Verify
    "confirm" -> HazardAction.Confirm(inputs.grade)
    "dismiss" -> HazardAction.Dismiss(inputs.text)
    "merge" -> HazardAction.Merge(inputs.text)
    "fix_on_site" -> HazardAction.FixOnSite(inputs.photos, inputs.photosAfter)
    "assign" -> HazardAction.Assign(inputs.text, inputs.deadline)
    "start" -> HazardAction.Start
    "request_recheck" -> HazardAction.RequestRecheck
    "recheck_pass" -> HazardAction.RecheckPass(inputs.photos)
    "recheck_fail" -> HazardAction.RecheckFail(inputs.photos)
    "refer" -> HazardAction.Refer(inputs.text)
    "close" -> HazardAction.Close
    "supervise" -> HazardAction.Supervise(inputs.on)
    "escalate" -> HazardAction.Escalate
    "resolve_conflict" -> HazardAction.ResolveConflict(inputs.text)
    else -> null
}

/**
 * The report's only script, inlined: sorting and filtering the step table, and
 * jumping from a bar or a graph node to the step's details. It reads the page's
 * DOM; no run data is embedded in it, so nothing from a run can break out of it.
 */
export const SCRIPT = `
(function(){
var table=document.getElementById("steps");if(!table)return;
var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
var filter=document.getElementById("filter"),status=document.getElementById("status-filter"),count=document.getElementById("shown");
function apply(){var q=filter.value.trim().toLowerCase(),st=status.value,n=0;
for(var i=0;i<rows.length;i++){var r=rows[i];var ok=(!st||r.dataset.status===st)&&(!q||r.dataset.text.indexOf(q)>=0);
r.hidden=!ok;if(ok)n++}count.textContent=String(n)}
filter.addEventListener("input",apply);status.addEventListener("change",apply);
var heads=table.tHead.rows[0].cells;
Array.prototype.forEach.call(heads,function(th,col){th.addEventListener("click",function(){
var dir=th.getAttribute("aria-sort")==="ascending"?-1:1;
Array.prototype.forEach.call(heads,function(h){h.removeAttribute("aria-sort")});
th.setAttribute("aria-sort",dir===1?"ascending":"descending");
var num=th.dataset.type==="num";
rows.sort(function(a,b){var x=a.cells[col].dataset.v,y=b.cells[col].dataset.v;
if(num){x=Number(x);y=Number(y)}return x<y?-dir:x>y?dir:0});
var f=document.createDocumentFragment();rows.forEach(function(r){f.appendChild(r)});body.appendChild(f)})});
function open(id){var d=document.getElementById("d-"+id);if(d){d.open=true;d.scrollIntoView({block:"center"})}
else{var r=document.getElementById("r-"+id);if(r)r.scrollIntoView({block:"center"})}}
document.addEventListener("click",function(e){var g=e.target.closest&&e.target.closest("[data-i]");if(g)open(g.dataset.i)});
})();
`;
